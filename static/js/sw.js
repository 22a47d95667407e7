// Medskapa service worker: keeps the app shell and a friendly offline page on the phone.
// Served from /sw.js so that it controls the whole site.
"use strict";
importScripts("/static/js/offline-queue.js");
var VERSION = "v3";
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
    // Static files: answer from the cache at once, refresh it in the background.
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
