// Waiting screen: follow the question the youth leader shows on the projector. Polls a tiny
// JSON document; unchanged answers are empty 304s, so a full classroom costs little.
(function () {
  "use strict";
  var box = document.querySelector("[data-wait-url]");
  if (!box) return;
  var url = box.getAttribute("data-wait-url"), etag = null;
  // The question (its id) shown when this page opened, or just answered; follow only when
  // the leader shows another.
  var shown = box.getAttribute("data-current");
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    // A poll that stalls on weak wifi is given up, so the page keeps following.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); },
                                         window.MedskapaPollTimeout || 10000);
    fetch(url, { headers: headers, credentials: "same-origin",
                 signal: controller ? controller.signal : undefined }).then(function (response) {
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        return response.json().then(function (now) {
          // Closed by the youth leader: nothing more will come, on to the thank-you page.
          if (now.ended) { window.location.assign(now.ended); return; }
          if (now.url && String(now.id) !== shown) window.location.assign(now.url);
        });
      }
    }).catch(function () {}).then(function () { clearTimeout(timer); setTimeout(poll, 2000); });
  }
  poll();
})();
