// Answers kept on the phone that the server can never store (the consultation ended, the
// question was removed, the phone's answers were deleted): offline-queue.js keeps them,
// marked failed. The young person sees what they wrote, to copy, on the question pages and
// on "My answers", and removes it from the phone when done. (Votes kept that way hold
// nothing to copy: they are removed.)
(function () {
  "use strict";
  var queue = window.MedskapaQueue;

  function textOf(item) {
    return (new URLSearchParams(item.body).get("text") || "").trim();
  }

  function show() {
    var box = document.getElementById("not-sent");
    if (!queue || !box) return Promise.resolve();
    return queue.all().then(function (items) {
      var failed = items.filter(function (i) { return i.failed; });
      var list = box.querySelector("[data-not-sent-list]");
      list.textContent = "";
      failed.forEach(function (item) {
        if (!textOf(item)) { queue.remove(item.key); return; }
        var entry = document.createElement("li"), words = document.createElement("bdi");
        words.dir = "auto";
        words.textContent = textOf(item);
        entry.appendChild(words);
        list.appendChild(entry);
      });
      box.hidden = !list.children.length;
      if (!box.dataset.ready) {
        box.dataset.ready = "1";
        box.querySelector("[data-not-sent-remove]").addEventListener("click", function () {
          queue.all().then(function (now) {
            return Promise.all(now.filter(function (i) { return i.failed; })
              .map(function (i) { return queue.remove(i.key); }));
          }).then(show);
        });
      }
    }).catch(function () {});
  }

  // "Delete everything" deletes what this phone still keeps, too: answers waiting to be sent
  // (else sent, or shown to copy, after all) and half-written texts.
  function forget() {
    try {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key.indexOf("medskapa-draft:") === 0) sessionStorage.removeItem(key);
      });
    } catch (e) { /* storage blocked: nothing kept */ }
    if (!queue) return Promise.resolve();
    return queue.all().then(function (items) {
      return Promise.all(items.map(function (i) { return queue.remove(i.key); }));
    });
  }

  window.MedskapaNotSent = { show: show };
  if (document.querySelector("[data-forget-phone]")) {
    forget().catch(function () {}).then(show);
    return;
  }
  if (document.querySelector("form[data-answer-form]")) return;  // answer.js sends and shows
  // Elsewhere ("My answers"): send what waits first (the service worker is not asked to,
  // as this page has the queue), then show what can never be sent.
  var meta = document.querySelector('meta[name="csrf-token"]');
  var ready = queue && navigator.onLine ? queue.flush(meta && meta.content) : Promise.resolve();
  ready.catch(function () {}).then(show);
})();
