// Medskapa: the offer of notifications on the thank-you page. Shown only where the browser
// can get Web Push; asks for permission only when the young person taps "Yes".
(function () {
  "use strict";
  window.MedskapaPush = { setUp: setUp };
  setUp();

  function setUp() {
    var offer = document.querySelector("[data-push-offer]");
    if (!offer || offer.dataset.ready) return;
    offer.dataset.ready = "1";
    var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    var ios = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    if (!supported) {
      // Safari on iOS offers Web Push only to apps added to the home screen.
      var hint = document.querySelector("[data-push-ios]");
      if (ios && hint && !navigator.standalone) hint.hidden = false;
      return;
    }

    // After an error the "Yes" button stays, so the young person can try again.
    function show(state, message) {
      offer.querySelectorAll("[data-push-state]").forEach(function (el) {
        var name = el.getAttribute("data-push-state");
        el.hidden = name !== state && !(state === "error" && name === "off");
        if (state === "error" && name === "error") el.textContent = message || el.getAttribute("data-fallback");
      });
    }

    function key() {
      var text = offer.getAttribute("data-key").replace(/-/g, "+").replace(/_/g, "/");
      var raw = atob(text + "===".slice((text.length + 3) % 4));
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return bytes;
    }

    function send(subscription) {
      var csrf = document.querySelector('meta[name="csrf-token"]').content;
      return fetch("/push/subscribe", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ consultation_id: Number(offer.getAttribute("data-consultation")),
                               subscription: subscription.toJSON() })
      }).then(function (response) {
        return response.json().then(function (body) {
          // Only this server's own words are shown (in the young person's language); not a
          // status number (a 429 or 400 answers {"error": 429}) nor the browser's English.
          if (!response.ok) throw { own: typeof body.error === "string" ? body.error : "" };
          localStorage.setItem("medskapa-push-confirmed", String(Date.now()));
        });
      });
    }

    offer.hidden = false;
    if (offer.hasAttribute("data-subscribed")) { show("on"); return; }
    if (Notification.permission === "denied") { show("denied"); return; }
    show("off");
    offer.querySelector("[data-push-on]").addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { show("denied"); return null; }
        return navigator.serviceWorker.ready.then(function (registration) {
          return registration.pushManager.getSubscription().then(function (existing) {
            return existing || registration.pushManager.subscribe({
              userVisibleOnly: true, applicationServerKey: key() });
          });
        }).then(send).then(function () { show("on"); });
      }).catch(function (error) { show("error", error && error.own); });
    });
  }
})();
