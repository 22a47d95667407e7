// Question pages with JavaScript: answers are sent without reloading the page, and kept on
// the phone when there is no connection. Without JavaScript the plain form still works.
(function () {
  "use strict";
  var queue = window.MedskapaQueue;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var messages = document.getElementById("answer-messages");
  var text = function (name) { return messages ? messages.getAttribute("data-" + name) : ""; };
  // On a stalled connection (common on school wifi) the browser may wait minutes for an
  // answer. After SENDING_AFTER the child is told it is on its way; after GIVE_UP_AFTER the
  // answer is kept on the phone as if offline (tests set window.MedskapaGiveUpAfter).
  var SENDING_AFTER = 1500, GIVE_UP_AFTER = 12000;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function showStatus(form, message) {
    var status = form.querySelector("[data-send-status]");
    if (status) status.textContent = message;
  }

  // A saved idea joins "Your ideas so far" at once, as it would after a reload.
  function addOwn(form, idea) {
    var list = form.querySelector("[data-own-list]");
    if (!list || !idea) return;
    var item = document.createElement("li"), words = document.createElement("bdi");
    words.textContent = idea;
    words.lang = document.documentElement.lang;  // written in the page's language
    item.appendChild(words);
    list.appendChild(item);
    list.hidden = false;
    var heading = form.querySelector("[data-own-heading]");
    if (heading) heading.hidden = false;
  }

  function updateWaiting() {
    if (!queue) return Promise.resolve();
    return queue.all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.failed; }).length;
      if (window.MedskapaNotSent) window.MedskapaNotSent.show();  // what can never be sent
      if (waiting === 0) {  // everything kept on the phone has been sent
        document.querySelectorAll("[data-send-status]").forEach(function (status) {
          if (status.textContent === text("queued") || status.textContent === text("limited")) {
            status.textContent = "";
          }
        });
      }
      var box = document.getElementById("waiting");
      if (!box) return;
      box.hidden = waiting === 0;
      box.querySelector("[data-count]").textContent = waiting;
    }).catch(function () {});
  }

  // An earlier answer to the same vote question, still waiting after a stall, must not
  // overwrite the one just stored when it is sent later. (Ideas all count: they stay.) A
  // ranking, choice or scale replaces the whole answer; statements are voted one by one
  // (s_<item>), so an earlier one goes only if the new answer votes on all its statements.
  function covers(newer, older) {
    var have = new URLSearchParams(newer.body), all = true;
    new URLSearchParams(older.body).forEach(function (value, name) {
      if (name.indexOf("s_") === 0 && !have.has(name)) all = false;
    });
    return all;
  }
  function dropReplaced(item) {
    if (!queue || !item.replaces) return Promise.resolve();
    return queue.all().then(function (items) {
      return Promise.all(items.filter(function (i) {
        return i.replaces && !i.failed && i.url === item.url && covers(item, i);
      }).map(function (i) { return queue.remove(i.key); }));
    }).catch(function () {});
  }

  // After a 429 the phone is online, so no "online" event comes: send again once the wait
  // the server asked for is over (at least a few seconds, at most a minute).
  var retryTimer = null;
  function retryLater(seconds) {
    if (retryTimer) return;
    var wait = queue.pause(seconds);  // the queue waits as well: no send before it is over
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flush();  // (refused again: flush calls this once more)
    }, wait * 1000);
  }

  function flush() {
    if (!queue || !navigator.onLine) return Promise.resolve();
    return queue.all().then(function (before) {
      return queue.flush(meta && meta.content).then(queue.all).then(function (after) {
        showSent(before, after);
        // A waiting answer was refused for too many at once: sent again after the wait.
        if (queue.waitLeft() && after.some(function (i) { return !i.failed; })) {
          retryLater(queue.waitLeft());
        }
      });
    }).catch(function () {}).then(updateWaiting);
  }

  // Ideas that waited on the phone and are sent now join "Your ideas so far", as they would
  // after a reload: not only "Waiting to be sent" going away, as if they had vanished.
  function showSent(before, after) {
    var form = document.querySelector("form[data-answer-form]");
    var list = form && form.querySelector("[data-own-list]");
    if (!list) return;
    var left = after.map(function (i) { return i.key; });
    var shown = Array.prototype.map.call(list.querySelectorAll("li"),
                                         function (li) { return li.textContent.trim(); });
    before.sort(function (a, b) { return (a.created || 0) - (b.created || 0); });
    before.forEach(function (item) {
      if (item.failed || left.indexOf(item.key) >= 0 || item.url !== form.action) return;
      var idea = (new URLSearchParams(item.body).get("text") || "").trim();
      if (idea && shown.indexOf(idea) < 0) { addOwn(form, idea); shown.push(idea); }
    });
  }

  // Scripts inside a swapped-in <main> (e.g. the notification offer's) do not run by
  // themselves: load each once, or set it up again if it is loaded already.
  function runScripts(main) {
    main.querySelectorAll("script[src]").forEach(function (old) {
      var name = old.getAttribute("data-module");
      if (name && window[name] && window[name].setUp) { window[name].setUp(); return; }
      var script = document.createElement("script");
      script.src = old.src;
      document.head.appendChild(script);
    });
  }

  // The answer is stored; the next page comes without a reload. On a stalled connection the
  // child is told it is on its way, and after GIVE_UP_AFTER the browser opens it as a whole
  // page instead (with its own progress bar, and the offline page if there is no network).
  function swapTo(url, push, form) {
    var controller = window.AbortController ? new AbortController() : null;
    var loadingTimer = form && setTimeout(function () { showStatus(form, text("loading")); },
                                          SENDING_AFTER);
    var giveUpTimer = controller && setTimeout(function () { controller.abort(); },
                                               window.MedskapaGiveUpAfter || GIVE_UP_AFTER);
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" },
                        signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("reload");
        return response.text();
      }).then(function (html) {
        clearTimeout(loadingTimer);
        clearTimeout(giveUpTimer);
        var doc = new DOMParser().parseFromString(html, "text/html");
        // A page that needs scripts this one has not loaded (the waiting screen's) is opened
        // as a whole page instead.
        var have = Array.prototype.map.call(document.querySelectorAll("head script[src]"),
                                            function (s) { return s.getAttribute("src"); });
        var needs = Array.prototype.some.call(doc.querySelectorAll("head script[src]"),
                                              function (s) {
                                                return have.indexOf(s.getAttribute("src")) < 0;
                                              });
        if (needs) { window.location.assign(url); return; }
        document.querySelector("main").replaceWith(doc.querySelector("main"));
        document.title = doc.title;
        // The language menu's links come back to the page they were made on: the new one's,
        // or a language chosen now would open the first question again.
        var nav = document.querySelector(".lang-nav"), freshNav = doc.querySelector(".lang-nav");
        if (nav && freshNav) nav.replaceWith(freshNav);
        if (push) { history.pushState({ swapped: true }, "", url); shownPage = shown(); }
        setUp();
        if (window.MedskapaReadAloud) window.MedskapaReadAloud.setUp();
        runScripts(document.querySelector("main"));
        var heading = document.querySelector("main h1");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        window.scrollTo(0, 0);
      }).catch(function () {
        clearTimeout(loadingTimer);
        clearTimeout(giveUpTimer);
        window.location.assign(url);
      });
  }

  // The form sent the plain way, for the server to answer with a whole page: with the button
  // that was pressed, as without JavaScript (an empty "Send and write another idea" is told
  // to write something, not taken for "Next").
  function sendPlain(form, submitter) {
    if (submitter && submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = submitter.name;
      pressed.value = submitter.value;
      form.appendChild(pressed);
    }
    form.dataset.plain = "1";
    HTMLFormElement.prototype.submit.call(form);
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    if (form.dataset.plain) return;
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var more = submitter && submitter.name === "more";
    var keyField = form.querySelector('input[name="client_key"]');
    var item = {
      key: keyField ? keyField.value : newKey(),
      url: form.action,
      body: new URLSearchParams(data).toString(),
      csrf: meta && meta.content,
      label: (data.get("text") || "").toString().slice(0, 80),
      created: Date.now(),
      replaces: !keyField  // votes, rankings, scales, choices: the last answer counts
    };
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    var controller = window.AbortController ? new AbortController() : null;
    var sendingTimer = setTimeout(function () { showStatus(form, text("sending")); }, SENDING_AFTER);
    var giveUpTimer = controller && setTimeout(function () { controller.abort(); },
                                               window.MedskapaGiveUpAfter || GIVE_UP_AFTER);
    var settle = function () {
      clearTimeout(sendingTimer);
      clearTimeout(giveUpTimer);
      var status = form.querySelector("[data-send-status]");
      if (status && status.textContent === text("sending")) status.textContent = "";
    };
    var send = function (again) {
      return fetch(form.action, {
        method: "POST", credentials: "same-origin", body: item.body,
        signal: controller ? controller.signal : undefined,
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/json", "X-CSRFToken": item.csrf }
      }).then(function (response) {
        if (response.status >= 500) throw new Error("server");
        if (response.status === 429) {
          // Too many answers at once (the rate limit): kept on the phone like offline, but
          // told so, and sent again once the limit's wait (Retry-After) is over.
          var limited = new Error("limited");
          limited.retryAfter = parseInt(response.headers.get("Retry-After"), 10);
          throw limited;
        }
        return response.json().then(function (body) {
          if (response.status === 400 && body.csrf && !again) {
            return freshToken(form, item).then(function () { return send(true); });
          }
          return { status: response.status, body: body };
        });
      });
    };
    send(false).then(function (result) {
      settle();
      buttons.forEach(function (b) { b.disabled = false; });
      if (result.status === 200 && result.body.ok) {
        forgetDraft(form);
        // The connection works: send what an earlier stall left waiting.
        dropReplaced(item).then(flush);
        if (result.body.status === "needs_help") {
          // What was written sounds like the child may not be safe: where to get help,
          // whichever button sent it.
          swapTo(result.body.next, true, form);
        } else if (more) {
          if (result.body.status !== "duplicate") {
            addOwn(form, (data.get("text") || "").toString().trim());
          }
          afterText(form);
          showStatus(form, text("saved"));
        } else {
          swapTo(result.body.next, true, form);
        }
        return;
      }
      // Invalid or ended: let the server render its message next to the field, with the
      // text kept.
      sendPlain(form, submitter);
    }).catch(function (error) {
      var limited = error && error.message === "limited";
      // No connection, a server error, or given up on a stalled one (the server may have
      // stored it anyway: a replay is stored once, by client_key or the votes' upsert).
      settle();
      buttons.forEach(function (b) { b.disabled = false; });
      if (!queue) { sendPlain(form, submitter); return; }
      var area = form.querySelector('[name="text"]');
      if (area && !area.value.trim()) {
        // An empty box: nothing to keep. Next goes on as Skip does (offline: the offline
        // page, whose Try again opens that question); another idea stays on this one.
        var skip = form.querySelector("a.skip");
        window.location.assign(more || !skip ? form.action : skip.href);
        return;
      }
      queue.add(item).then(function () {
        afterText(form);
        showStatus(form, text(limited ? "limited" : "queued"));
        updateWaiting();
        if (limited) retryLater(error.retryAfter);
        if (navigator.serviceWorker) {
          navigator.serviceWorker.ready.then(function (registration) {
            if (registration.sync) return registration.sync.register("medskapa-outbox");
          }).catch(function () {});
        }
      });
    });
  }

  // The session ended while the page stood open (the browser was closed, or the phone
  // restarted): its form token no longer counts. The page fetched again brings a fresh one
  // (and a new session), and the answer is sent once more instead of "The form had expired".
  function freshToken(form, item) {
    return fetch(form.action, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector('meta[name="csrf-token"]');
        if (!fresh || !fresh.content) throw new Error("no token");
        var token = fresh.content, body = new URLSearchParams(item.body);
        if (meta) meta.content = token;
        var field = form.querySelector('input[name="csrf_token"]');
        if (field) field.value = token;
        body.set("csrf_token", token);
        item.body = body.toString();
        item.csrf = token;
      });
  }

  function afterText(form) {
    // A new key for the next idea; the sent one must not be reused.
    var keyField = form.querySelector('input[name="client_key"]');
    if (keyField) keyField.value = newKey();
    var area = form.querySelector('[name="text"]');
    if (area) { area.value = ""; area.dispatchEvent(new Event("input")); area.focus(); }
  }

  // What a child is writing survives a reload or a tap on the wrong link: kept in this tab
  // only (sessionStorage, gone when the tab closes), and forgotten once it is sent.
  function draftKey(form) { return "medskapa-draft:" + form.action; }
  function keepDraft(form) {
    var area = form.querySelector('[name="text"]');
    if (!area) return;
    try {
      var kept = sessionStorage.getItem(draftKey(form));
      if (kept && !area.value) {
        area.value = kept;
        setTimeout(function () { area.dispatchEvent(new Event("input")); });  // the counter
      }
    } catch (e) { return; }
    area.addEventListener("input", function () {
      try {
        if (area.value) sessionStorage.setItem(draftKey(form), area.value);
        else sessionStorage.removeItem(draftKey(form));
      } catch (e) { /* storage full or blocked: nothing to keep */ }
    });
  }
  function forgetDraft(form) {
    try { sessionStorage.removeItem(draftKey(form)); } catch (e) { /* blocked */ }
  }

  function setUp() {
    messages = document.getElementById("answer-messages");
    var form = document.querySelector("form[data-answer-form]");
    if (form) { form.addEventListener("submit", onSubmit); keepDraft(form); }
    var area = form && form.querySelector("textarea[data-max]");
    var counter = form && form.querySelector("[data-counter]");
    if (area && counter) {
      var max = parseInt(area.getAttribute("data-max"), 10);
      // Counted as the server counts (app/core/text.py): characters after NFC, so an emoji
      // is one, not the two of JavaScript's length.
      var characters = function (value) {
        return Array.from(value.normalize ? value.normalize("NFC") : value).length;
      };
      var update = function () {
        var used = characters(area.value);
        // Over the limit: how many to take away, as a plain number (not "-3 left").
        counter.textContent = !area.value ? "" : used > max ?
          text("chars-over").replace("{n}", String(used - max)) :
          text("chars-left").replace("{n}", String(max - used));
        counter.classList.toggle("error", used > max);
      };
      area.addEventListener("input", update);
      // A text sent back as too long: how much to take away, before the child types again.
      if (area.value) update();
    }
    updateWaiting();
  }

  window.addEventListener("online", flush);
  // Back and Forward between swapped-in pages show the page of that history entry. A link
  // to a place on this page (the skip link's #main) is a history entry too: not reloaded,
  // or the skip link would only open the page again, with the focus back at the top.
  var shown = function () { return location.pathname + location.search; };
  var shownPage = shown();
  window.addEventListener("popstate", function () {
    if (shown() !== shownPage) window.location.reload();
  });
  setUp();
  flush();
})();
