// Answers given without a connection wait in IndexedDB on the phone and are sent when the
// connection returns. Used by the page (answer.js) and by the service worker (sw.js).
// Each item carries the idempotency key the server uses, so a retry never stores twice.
(function (root) {
  "use strict";
  var DB = "medskapa", STORE = "outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        Promise.resolve(work(tx.objectStore(STORE))).then(function (r) { result = r; });
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var queue = {
    add: function (item) { return run("readwrite", function (s) { s.put(item); }); },
    remove: function (key) { return run("readwrite", function (s) { s.delete(key); }); },
    all: function () { return run("readonly", function (s) { return s.getAll(); }); },
    // Send every waiting item. `token` is a fresh CSRF token from the open page (the
    // worker gets it with the page's message); without one, the one stored with the item. Resolves to the number still waiting
    // (not counting those that can never be stored).
    flush: function (token) {
      return queue.all().then(function (items) {
        // In the order they were given: for a vote the last answer counts.
        items.sort(function (a, b) { return (a.created || 0) - (b.created || 0); });
        return items.reduce(function (chain, item) {
          // Refused for too many answers at once: the rest would be refused as well, and
          // each refusal is one more answer counted against the whole class's address.
          // One the server can never store (failed) is kept to copy, not sent again.
          return chain.then(function () {
            if (!item.failed && !queue.waitLeft()) return send(item, token);
          });
        }, Promise.resolve());
      }).then(function () { return queue.all(); }).then(function (left) {
        return left.filter(function (item) { return !item.failed; }).length;
      });
    },
    // After a 429, nothing is sent until the wait the server asked for (Retry-After, at
    // most a minute) is over. The page calls pause() for a 429 on its own answer too.
    pause: function (seconds) {
      var wait = isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : 30;
      notBefore = Math.max(notBefore, Date.now() + wait * 1000);
      return wait;
    },
    // Seconds until sending may go on (0: it may now). A timer firing a moment early counts.
    waitLeft: function () {
      var left = notBefore - Date.now();
      return left > 250 ? left / 1000 : 0;
    }
  };
  var notBefore = 0;

  // A send that gets no reply (a stalled school wifi) is given up after this long, so one
  // stuck answer never holds up the others, nor the service worker's sync, for minutes.
  var SEND_TIMEOUT = 20000;
  var sending = {};
  function send(item, token) {
    if (sending[item.key]) return sending[item.key];
    var controller = root.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); },
                                         root.MedskapaSendTimeout || SEND_TIMEOUT);
    // A fresh token goes in the body too: the server reads the form's csrf_token first, and
    // the one kept with the answer died with its session (the browser was closed meanwhile).
    var body = item.body;
    if (token) {
      var fields = new URLSearchParams(body);
      fields.set("csrf_token", token);
      body = fields.toString();
    }
    sending[item.key] = fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "X-CSRFToken": token || item.csrf
      },
      body: body
    }).then(function (response) {
      if (response.ok) return queue.remove(item.key);
      if (response.status === 409 || response.status === 422 || response.status === 403) {
        // It can never be stored (ended, or not valid): keep it so the young person can
        // see and copy the text, but stop retrying.
        item.failed = true;
        return queue.add(item);
      }
      if (response.status === 429) queue.pause(parseInt(response.headers.get("Retry-After"), 10));
      // 400 (an old form token), 429, 5xx: leave it for the next try.
    }).catch(function () { /* still offline, or given up */ }).then(function () {
      clearTimeout(timer);
      delete sending[item.key];
    });
    return sending[item.key];
  }

  root.MedskapaQueue = queue;
})(self);
