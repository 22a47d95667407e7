// Medskapa service worker: keeps the app shell and a friendly offline page on the phone.
// Served from /sw.js so that it controls the whole site. The server (app/pwa/static.py)
// puts each file's content hash into every quoted /static/ path here and sets VERSION from
// them, so this file changes, and phones update, whenever a file of the shell changes.
"use strict";
importScripts("/static/js/offline-queue.js");
var VERSION = "dev";
var SHELL = "medskapa-shell-" + VERSION;
var OFFLINE_URL = "/offline";
var SHELL_FILES = [
  "/static/css/app.css",
  "/static/js/app.js",
  "/static/js/offline-queue.js",
  "/static/js/answer.js",
  "/static/js/read-aloud.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(SHELL_FILES.concat([OFFLINE_URL]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("medskapa-") === 0 && key !== SHELL;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The page asks for this when its language changed, so offline help is in that language.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "cache-offline-page") {
    event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.add(OFFLINE_URL); }));
  }
  // A page without answer.js is open and online: send the answers kept on the phone, with
  // that page's form token.
  if (event.data && event.data.type === "send-kept-answers") {
    event.waitUntil(self.MedskapaQueue.flush(event.data.token).catch(function () {}));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Pages: always fresh from the network; the offline page when there is none.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  if (new URL(request.url).pathname.indexOf("/static/") === 0) {
    // Static files: answer from the cache at once, refresh it in the background (versioned
    // URLs come from the browser's HTTP cache then, so that costs no request).
    event.respondWith(caches.open(SHELL).then(function (cache) {
      return cache.match(request).then(function (cached) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        }).catch(function () { return cached || Response.error(); });
        return cached || fresh;
      });
    }));
  }
});

// Background Sync (Chromium browsers): send answers that waited for a connection, even if
// the page was closed. Other browsers rely on the page sending them when it is next open.
self.addEventListener("sync", function (event) {
  if (event.tag === "medskapa-outbox") {
    event.waitUntil(self.MedskapaQueue.flush().then(function (left) {
      if (left > 0) throw new Error("answers still waiting"); // the browser retries later
    }));
  }
});

// Web Push: the server sends the update's title in the young person's language, and where
// a tap should lead (the consultation's feedback page). Nothing else is in the message.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  if (!data.title) return;
  event.waitUntil(self.registration.showNotification(data.title, {
    body: data.body || "", lang: data.lang || "", tag: data.tag || "",
    icon: "/static/icons/icon-192.png", badge: "/static/icons/icon-192.png",
    data: { url: data.url || "/me" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/me",
                       self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/me", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(
    function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if ("focus" in windows[i] && "navigate" in windows[i]) {
          return windows[i].navigate(target.href).then(function (w) { return w && w.focus(); });
        }
      }
      return self.clients.openWindow(target.href);
    }));
});
