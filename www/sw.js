// Keeps the hosted widget working when the connection drops: the widget's files (and this demo
// page) are served from a cache, refreshed from the network when it is there. The English table
// (policy-qa-en.bin) is not fetched ahead: it is cached the first time someone asks in English.
// Hosts: serve this file from a path whose scope covers the pages that embed the widget.
const CACHE = 'policy-qa-v1';
const FILES = ['./', 'index.html', 'demo.css', 'demo.js', 'policy-qa.js', 'element.js', 'policy-qa.css', 'pkg/policy_qa.js', 'pkg/policy_qa_bg.wasm'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
self.addEventListener('fetch', (e) => {
  if (e.request.method !== 'GET') return;
  e.respondWith(
    fetch(e.request)
      .then((r) => {
        if (r.ok) { const copy = r.clone(); caches.open(CACHE).then((c) => c.put(e.request, copy)); }
        return r;
      })
      .catch(() => caches.match(e.request, { ignoreSearch: true }).then((r) => r || Response.error())),
  );
});
