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

  // A second tap on Save while the first is still on its way (slow wifi, an impatient
  // double click) would store the same thing twice: a form being sent ignores further
  // submits until its page is answered. Forms that send themselves (answer.js) prevent the
  // browser's submit and are left alone. Released after a while in case a reply never
  // replaces the page, and when the page comes back from the browser's back/forward cache.
  var SENDING_FOR = 15000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    setTimeout(function () { release(form); }, SENDING_FOR);
  });
  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-sending]").forEach(release);
  });

  // A create form's once-only token (app/core/once.py) says "this was saved already" when
  // the same form is sent again. Staff pages are never stored, so Back fetches the form
  // anew, with a new token, while the browser puts back what was typed: Save would make a
  // second one. The token a page first had is kept in its history entry and put back.
  var onceFields = document.querySelectorAll('input[name="once_token"]');
  if (onceFields.length && window.history && history.replaceState) {
    var state = history.state && typeof history.state === "object" ? history.state : {};
    var kept = Array.isArray(state.onceTokens) ? state.onceTokens.slice() : [];
    onceFields.forEach(function (field, i) {
      if (typeof kept[i] === "string" && kept[i]) field.value = kept[i];
      else kept[i] = field.value;
    });
    try {
      history.replaceState(Object.assign({}, state, { onceTokens: kept }), "");
    } catch (e) { /* no history state here: a new token, as without JavaScript */ }
  }

  // A staff session that ended while a form was open (STAFF_IDLE_MINUTES) sends Save to the
  // login page, and what was typed would be lost. So what a staff form sends is kept in
  // this tab until the next page shows: a normal page forgets it; the login pages keep it;
  // the form's own page, reached again after logging in, gets it back. Only this tab's
  // sessionStorage holds it, and never passwords, tokens or hidden fields.
  var SENT = "medskapa-sent-form";
  var KEEP_TYPES = /^(text|textarea|select-one|select-multiple|checkbox|radio|number|email|url|search|tel|date|datetime-local|time)$/;
  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && KEEP_TYPES.test(el.type);
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !document.body.hasAttribute("data-kept-note") ||
        (form.getAttribute("method") || "").toLowerCase() !== "post" ||
        form.querySelector('input[type="password"]')) return;
    var fields = keptFields(form).map(function (el) {
      return { name: el.name, value: el.value, checked: el.checked,
               chosen: el.multiple ? Array.prototype.map.call(el.selectedOptions,
                                                              function (o) { return o.value; })
                                   : null };
    });
    try {
      sessionStorage.setItem(SENT, JSON.stringify({
        page: location.pathname + location.search, action: form.getAttribute("action") || "",
        fields: fields }));
    } catch (e) { /* storage blocked: as without JavaScript */ }
  });
  (function putBackWhatWasTyped() {
    var sent;
    try { sent = JSON.parse(sessionStorage.getItem(SENT) || "null"); } catch (e) { return; }
    if (!sent) return;
    var here = location.pathname + location.search;
    // Logged out on the way (the login page), or logged in again in another tab meanwhile
    // (the form's token then belonged to the session that ended: "the form had expired",
    // go back and reload): keep it for the form's page.
    if (location.pathname.indexOf("/login") === 0 ||
        document.querySelector("[data-form-expired]")) {
      sent.loggedOut = true;
      try { sessionStorage.setItem(SENT, JSON.stringify(sent)); } catch (e) { /* blocked */ }
      return;
    }
    sessionStorage.removeItem(SENT);
    var note = document.body.getAttribute("data-kept-note");
    if (!sent.loggedOut || here !== sent.page || !note) return;
    var form = Array.prototype.find.call(document.querySelectorAll('form[method="post"]'),
      function (f) { return (f.getAttribute("action") || "") === sent.action; });
    if (!form) return;
    var seen = {};
    var byName = {};
    keptFields(form).forEach(function (el) { (byName[el.name] = byName[el.name] || []).push(el); });
    sent.fields.forEach(function (item) {
      var els = byName[item.name] || [];
      var n = seen[item.name] = (seen[item.name] || 0) + 1;
      var el = els[n - 1];
      if (!el) return;
      if (el.type === "checkbox" || el.type === "radio") {
        els.forEach(function (e) { if (e.value === item.value) e.checked = item.checked; });
      } else if (item.chosen) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = item.chosen.indexOf(o.value) >= 0;
        });
      } else {
        el.value = item.value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    var message = document.createElement("p");
    message.className = "flash flash-info";
    message.setAttribute("role", "status");
    message.textContent = note;
    form.parentNode.insertBefore(message, form);
  })();

  // A refused form's summary (app/templates/_macros/forms.html): a link moves the focus to
  // its field, not only the view, so typing starts there (the field's label stays in sight).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView({ block: "start" });
    if (field.focus) field.focus({ preventScroll: true });
  });

  if (!("serviceWorker" in navigator)) return;

  // A phone with notifications on tells the server about once a day that it still has
  // them; subscriptions nobody confirms for months are removed there.
  var DAY = 24 * 3600 * 1000;
  function confirmPush(registration) {
    if (!registration.pushManager) return;
    var last = Number(localStorage.getItem("medskapa-push-confirmed") || 0);
    if (Date.now() - last < DAY) return;
    registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return;
      var csrf = document.querySelector('meta[name="csrf-token"]');
      return fetch("/push/confirm", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
        body: JSON.stringify({ endpoint: subscription.endpoint })
      }).then(function (response) {
        if (response.ok) localStorage.setItem("medskapa-push-confirmed", String(Date.now()));
      });
    }).catch(function () { /* try again next visit */ });
  }
  // Answers kept on the phone (no connection when they were given) are sent from whatever
  // page is open once there is a connection: the start page, the offline page, the thank-you
  // page. Without Background Sync (Safari, Firefox) they otherwise waited until a question
  // page was opened again, which a young person who has finished may never do. Question
  // pages send them themselves (answer.js), with a fresh form token.
  function sendKept(registration) {
    if (window.MedskapaQueue || !navigator.onLine || !registration.active) return;
    var csrf = document.querySelector('meta[name="csrf-token"]');
    registration.active.postMessage({ type: "send-kept-answers",
                                      token: csrf ? csrf.content : undefined });
  }
  window.addEventListener("online", function () {
    navigator.serviceWorker.ready.then(sendKept).catch(function () {});
  });
  window.addEventListener("load", function () {
    // updateViaCache "none": checks for a new worker (and the scripts it imports) always
    // ask the server, never the HTTP cache, so a new version reaches phones at once.
    var options = { scope: "/", updateViaCache: "none" };
    navigator.serviceWorker.register("/sw.js", options).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // Keep the offline page in the language the young person reads now.
      var worker = navigator.serviceWorker.controller || registration.active;
      if (worker && localStorage.getItem("medskapa-offline-lang") !== lang) {
        worker.postMessage({ type: "cache-offline-page" });
        localStorage.setItem("medskapa-offline-lang", lang);
      }
      document.documentElement.dataset.swReady = "1";
      sendKept(registration);
      confirmPush(registration);
    }).catch(function () { /* no offline support; the site still works */ });
  });
})();
