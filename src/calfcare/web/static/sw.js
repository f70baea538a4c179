// calfcare's service worker: the live session page works without the server after one visit.
// Pages: network first, the cached copy when the server cannot be reached (only /session
// pages are kept; app.js stores the first one, loaded before this worker was there). Files: network first too, from the cache when offline. /api/ and every
// non-GET request pass straight through: a session upload is never cached or replayed here
// (app.js keeps unsent sessions and retries them).
const CACHE = 'calfcare-v1';
const FILES = [
  '/static/calfcare.css',
  '/static/session/session.css',
  '/static/session/app.js',
  '/static/session/engine.js',
  '/static/favicon.svg',
  '/manifest.webmanifest',
];

// The page has just loaded these: 'force-cache' takes them from the HTTP cache when it can.
const keep = (cache, url, mode) =>
  fetch(new Request(url, { cache: mode })).then((r) => (r.ok ? cache.put(url, r) : undefined));

self.addEventListener('install', (e) => {
  e.waitUntil(
    caches.open(CACHE)
      .then((c) => Promise.all(FILES.map((u) => keep(c, u, 'force-cache'))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const isPage = (url) => url.pathname === '/session' && url.search;

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (!isPage(url) && !FILES.includes(url.pathname)) return;
  e.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok && isPage(url)) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreVary: true }).then((hit) => hit || Response.error())),
  );
});
