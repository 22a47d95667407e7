// Medskapa: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  var lang = document.documentElement.lang;

  // Close the language menu with Escape and return focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.lang-menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });

  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // Keep the offline page in the language the young person reads now.
      var worker = navigator.serviceWorker.controller || registration.active;
      if (worker && localStorage.getItem("medskapa-offline-lang") !== lang) {
        worker.postMessage({ type: "cache-offline-page" });
        localStorage.setItem("medskapa-offline-lang", lang);
      }
      document.documentElement.dataset.swReady = "1";
    }).catch(function () { /* no offline support; the site still works */ });
  });
})();
