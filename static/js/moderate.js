// Moderation queue on a laptop: j/k move between texts, a publishes, h hides (choose a
// reason), t sets a theme, x selects for bulk actions. Buttons work without this file.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  if (!items.length) return;
  var current = -1;

  function focusItem(index) {
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) { item.classList.toggle("is-current", i === current); });
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable) return;
    var item = items[current];
    // With an Arabic, Persian or Ukrainian keyboard layout the j key gives "ت", "ت" or "о":
    // the key's place on the keyboard (event.code) is what the shortcuts mean then.
    var key = /^[a-z]$/i.test(event.key) ? event.key.toLowerCase()
      : ({ KeyJ: "j", KeyK: "k", KeyA: "a", KeyH: "h", KeyT: "t", KeyX: "x" })[event.code];
    switch (key) {
      case "j": focusItem(current + 1); break;
      case "k": focusItem(current - 1); break;
      case "a":
        if (item && item.querySelector('[data-action="approve"]')) item.querySelector('[data-action="approve"]').click();
        break;
      case "h":
        if (item && item.querySelector('[data-action="hide-reason"]')) item.querySelector('[data-action="hide-reason"]').focus();
        break;
      case "t":
        if (item && item.querySelector('[data-action="theme"]')) item.querySelector('[data-action="theme"]').focus();
        break;
      case "x":
        if (item) { var box = item.querySelector("[data-select]"); box.checked = !box.checked; }
        break;
      default: return;
    }
    event.preventDefault();
  });

  items.forEach(function (item, i) {
    item.addEventListener("focusin", function () { current = i; });
    // After an action the page comes back: carry on at the same place in the list (the
    // text handled has usually left it, so that is the next one).
    item.addEventListener("submit", function () {
      try { sessionStorage.setItem("medskapa-queue-at", location.pathname + "#" + i); } catch (e) {}
    });
  });
  try {
    var at = sessionStorage.getItem("medskapa-queue-at");
    sessionStorage.removeItem("medskapa-queue-at");
    if (at && at.split("#")[0] === location.pathname) focusItem(parseInt(at.split("#")[1], 10));
  } catch (e) { /* storage blocked: start at the top */ }
})();
