// Projector view: refresh the counts and the current result every 2 seconds. The server
// answers 304 when nothing changed. Moving to another question reloads the page (a form).
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root) return;
  var url = root.getAttribute("data-live-url"), etag = null, shownN = null;
  var svgNS = "http://www.w3.org/2000/svg";

  // Back from a step button (/live/CODE#step-3): focus is on that button again, so the
  // next Tab reaches the next step. Without JavaScript the fragment makes Tab start there.
  // On "load": the browser's own move to the fragment, which comes later, would undo it.
  window.addEventListener("load", function () {
    var pressed = /^#step-[\w-]+$/.test(window.location.hash) &&
      document.getElementById(window.location.hash.slice(1));
    var button = pressed && pressed.querySelector("button");
    if (button && document.activeElement === document.body) button.focus({ preventScroll: true });
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bars(list) {
    var ol = el("ol", "bars");
    list.forEach(function (b) {
      var li = el("li");
      var label = el("span", "bar-label", b.label);
      label.setAttribute("dir", "auto");
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("class", "bar"); svg.setAttribute("viewBox", "0 0 100 8");
      svg.setAttribute("preserveAspectRatio", "none"); svg.setAttribute("aria-hidden", "true");
      [["bar-bg", 100], ["bar-fg", Math.round(b.share * 1000) / 10]].forEach(function (r) {
        var rect = document.createElementNS(svgNS, "rect");
        rect.setAttribute("class", r[0]); rect.setAttribute("width", r[1]); rect.setAttribute("height", 8);
        svg.appendChild(rect);
      });
      li.appendChild(label); li.appendChild(svg); li.appendChild(el("span", "bar-value", b.value));
      ol.appendChild(li);
    });
    return ol;
  }

  function render(state) {
    root.querySelector("[data-participants]").textContent = state.participants;
    var q = state.question;
    if (!q) return;
    if (shownN === null) shownN = q.n;
    if (q.n !== shownN) { window.location.reload(); return; }
    var result = root.querySelector("[data-result]");
    if (!result) return;
    root.querySelector("[data-respondents]").textContent =
      root.getAttribute("data-answered").replace("{n}", q.respondents);
    var next;
    if (q.words) {
      next = el("ul", "word-cloud");
      q.words.forEach(function (w) {
        var li = el("li"); li.setAttribute("data-weight", Math.min(w.count, 5));
        var bdi = el("bdi", null, w.text); li.appendChild(bdi); next.appendChild(li);
      });
    } else if (q.ideas) {
      next = el("ul", "idea-list");
      q.ideas.forEach(function (text) { var li = el("li"); li.appendChild(el("bdi", null, text)); next.appendChild(li); });
    } else {
      next = bars(q.bars || []);
    }
    result.replaceChildren(next);
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    // A poll that stalls on the school's wifi is given up, so the projector keeps counting.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); },
                                         window.MedskapaPollTimeout || 10000);
    fetch(url, { headers: headers, credentials: "same-origin",
                 signal: controller ? controller.signal : undefined }).then(function (response) {
      // The session ended (unused for a while; the polls do not count as use): say so and
      // stop, rather than show figures that no longer change as if they were live.
      if (response.status === 401 || response.redirected) return "logged out";
      if (response.status !== 200) return;
      etag = response.headers.get("ETag");
      return response.json().then(render);
    }).catch(function () {}).then(function (outcome) {
      clearTimeout(timer);
      if (outcome !== "logged out") { setTimeout(poll, 2000); return; }
      root.querySelector("[data-logged-out]").hidden = false;
    });
  }
  poll();
})();
