// calfcare's service worker (docs/pwa.md). Served by /sw.js (calfcare/web/pwa.py), which
// fills in the version and the lists below: a new version of any file the app shell uses
// makes a new worker, with a new cache, and the old caches go.
//
// - Files of the app shell: from the cache (kept at install), the network when missing.
// - Pages: the network first; a copy of the app shell's pages and of each live session page
//   opened is kept, stamped with when it was kept. Offline, the kept copy is shown under a
//   notice saying so. A live session page is shown offline only when it was kept today, and
//   any change recorded since (a safety check, a pain check, a session stopped for sharp
//   pain) throws the kept session pages away: offline, no session is offered that today's
//   safety state as last known to this device would not offer.
// - Check-ins and sessions logged by hand sent while offline are kept in IndexedDB and sent
//   when a page says it is back online; the server saves each once (every form carries a
//   client id). Sent only while someone is signed in (server mode): a form answered with the
//   sign-in page is kept for later.
// - /api/ and every other request pass straight through; nothing is fetched from elsewhere.
const VERSION = '__VERSION__';
const FILES = '__FILES__';
const PAGES = '__PAGES__';
const QUEUED = '__QUEUED__';
const CHECK_INS = '__CHECK_INS__';
const CSP = '__CSP__';
const ASSET_CACHE = 'calfcare-files-' + VERSION;
const PAGE_CACHE = 'calfcare-pages-' + VERSION;
const SAVED_AT = 'x-calfcare-saved-at';

const isLivePage = (url) => url.pathname === '/session' && url.search !== '';
const isKeptPage = (url) => PAGES.includes(url.pathname + url.search) || isLivePage(url);

async function keepPage(url, response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  headers.delete('content-encoding'); // the body kept is the decoded one
  headers.delete('content-length');
  const body = await response.blob();
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(url, new Response(body, { status: 200, headers }));
}

// The app shell's pages, fetched and kept (those already kept are left, unless `all`). Not
// signed in (server mode), a page answers with a redirect to the sign-in page: not followed,
// and nothing kept; pages ask again when they load (`flush`), so the shell is kept once the
// person has signed in. A body not kept is cancelled: left unread, it held its connection,
// and the worker's install waited for ever.
async function keepShellPages(all = true) {
  const cache = await caches.open(PAGE_CACHE);
  await Promise.all(PAGES.map(async (url) => {
    try {
      if (!all && await cache.match(url)) return;
      const r = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
      if (r.ok) await keepPage(url, r); else if (r.body) await r.body.cancel();
    } catch { /* kept at the next visit */ }
  }));
}

async function forgetLivePages() {
  const cache = await caches.open(PAGE_CACHE);
  for (const request of await cache.keys()) {
    if (isLivePage(new URL(request.url))) await cache.delete(request);
  }
}

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    const files = await caches.open(ASSET_CACHE);
    await Promise.all(FILES.map(async (url) => {
      const r = await fetch(new Request(url, { cache: 'no-cache' }));
      if (r.ok) await files.put(url, r);
    }));
    await keepShellPages();
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    const keep = [ASSET_CACHE, PAGE_CACHE];
    for (const key of await caches.keys()) if (!keep.includes(key)) await caches.delete(key);
    await self.clients.claim();
  })());
});

// -- offline pages ---------------------------------------------------------------------------

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const sameDay = (a, b) => a.toDateString() === b.toDateString();
const clock = (d) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

function page(title, html, status = 200) {
  const body = '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + '<title>' + escape(title) + ' · calfcare</title><link rel="stylesheet" href="/static/calfcare.css">'
    + '<link rel="manifest" href="/manifest.webmanifest"></head><body><main id="main"><h1>'
    + escape(title) + '</h1>' + html + '<p><a href="/">Home</a> · <a href="/checkins">Check-in</a></p></main></body></html>';
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP } });
}

const notOpenedToday = () => page('You are offline', '<p class="notice" role="status">This session was not opened '
  + 'on this device today while calfcare could be reached, so this device does not know today\'s '
  + 'safety state. calfcare offers a session offline only from a page opened today, and only until '
  + 'something new is recorded (a safety check, a pain check, a session stopped for sharp pain).</p>'
  + '<p>Connect again and open the session: calfcare then checks today\'s safety state first.</p>', 503);

async function fromKept(url, hit) {
  const saved = new Date(Number(hit.headers.get(SAVED_AT)) || 0);
  const live = isLivePage(url);
  if (live && !sameDay(saved, new Date())) return notOpenedToday();
  const words = live
    ? 'This session page was opened at ' + clock(saved) + ' today: it follows the safety state calfcare '
      + 'knew then. What you record is kept on this device and saved when you are back online.'
    : 'This page is as it was at ' + clock(saved) + ' on ' + saved.toDateString() + '. What you record '
      + 'is kept on this device and saved when you are back online.';
  const notice = '<p class="notice offline-notice" role="status" data-offline="' + saved.getTime() + '">'
    + '<strong>You are offline.</strong> ' + escape(words) + '</p>';
  const html = (await hit.text()).replace('<main id="main">', '<main id="main">' + notice);
  return new Response(html, { status: 200, headers: hit.headers });
}

async function pageFirstFromNetwork(e, request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && isKeptPage(url)) e.waitUntil(keepPage(url.href, response.clone()));
    return response;
  } catch {
    const hit = await caches.match(url.href, { cacheName: PAGE_CACHE, ignoreVary: true });
    if (hit) return fromKept(url, hit);
    if (isLivePage(url)) return notOpenedToday();
    return page('You are offline', '<p class="notice" role="status">This page was not kept on this '
      + 'device. The pages kept offline are home, plan, session and check-in.</p>', 503);
  }
}

// -- check-ins kept offline ------------------------------------------------------------------

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('calfcare', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('outbox', { autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
async function outbox(mode, work) {
  const conn = await db();
  return new Promise((resolve, reject) => {
    const tx = conn.transaction('outbox', mode);
    const result = work(tx.objectStore('outbox'));
    tx.oncomplete = () => { conn.close(); resolve(result && result.result); };
    tx.onerror = () => { conn.close(); reject(tx.error); };
  });
}
const kept = () => outbox('readonly', (s) => s.getAll());
const keptKeys = () => outbox('readonly', (s) => s.getAllKeys());

async function sendOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch {
    const item = { url: copy.url, body: await copy.text(), type: copy.headers.get('content-type'), at: Date.now() };
    await outbox('readwrite', (s) => s.add(item));
    const waiting = (await keptKeys()).length;
    return page('Kept on this device', '<p class="notice" role="status" id="kept">You are offline: what '
      + 'you sent is kept on this device and will be saved when calfcare can be reached ('
      + waiting + ' waiting).</p>');
  }
}

// Redirects are followed, to tell a saved form (it goes on to its page) from one sent while
// nobody is signed in (server mode: it goes to the sign-in page, and is kept).
async function post(item, body) {
  const r = await fetch(item.url, { method: 'POST', body, headers: { 'content-type': item.type }, credentials: 'same-origin' });
  if (r.body) await r.body.cancel();
  return r;
}
const toSignIn = (r) => r.redirected && new URL(r.url).pathname === '/sign-in';

// A form's security token matches the cookie it was made with, and in server mode the
// sign-in it was made in: after a restart of a personal server, or the same person's new
// sign-in, a refused token is renewed once from a fresh page. (Another person's sign-in
// clears what this browser kept first: docs/server.md.)
async function freshToken() {
  const html = await (await fetch('/checkins', { credentials: 'same-origin' })).text();
  const found = /name="csrftoken" value="([^"]+)"/.exec(html);
  return found ? found[1] : null;
}

let flushing = null;
async function flushOnce() {
  const keys = await keptKeys();
  const items = await kept();
  let saved = 0;
  let refused = 0;
  let signIn = false;
  for (let i = 0; i < keys.length; i += 1) {
    let response;
    try {
      response = await post(items[i], items[i].body);
      if (response.status === 403 && items[i].type.startsWith('application/x-www-form-urlencoded')) {
        const token = await freshToken();
        const fields = new URLSearchParams(items[i].body);
        if (token) { fields.set('csrftoken', token); response = await post(items[i], fields.toString()); }
      }
    } catch { break; } // still offline: keep them all
    if (toSignIn(response)) { signIn = true; break; } // nobody signed in: keep them all
    if (response.status >= 500) break;
    if (response.ok) saved += 1; else refused += 1;
    await outbox('readwrite', (s) => s.delete(keys[i]));
  }
  const waiting = (await keptKeys()).length;
  for (const client of await self.clients.matchAll()) client.postMessage({ type: 'outbox', saved, refused, waiting, signIn });
}
const flush = () => { flushing = flushing || flushOnce().finally(() => { flushing = null; }); return flushing; };

self.addEventListener('message', (e) => {
  const data = e.data || {};
  if (data.type === 'flush') e.waitUntil(Promise.all([flush(), keepShellPages(false)]));
  if (data.type === 'keep-page' && typeof data.html === 'string') {
    const url = new URL(data.url);
    if (url.origin !== location.origin || !isLivePage(url)) return;
    e.waitUntil(caches.open(PAGE_CACHE).then((c) => c.match(url.href)).then((hit) => hit
      || keepPage(url.href, new Response(data.html, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP } }))));
  }
});
self.addEventListener('sync', (e) => { if (e.tag === 'outbox') e.waitUntil(flush()); });

// -- routing ---------------------------------------------------------------------------------

async function forgetIfItChangesSafety(request, url) {
  if (url.pathname === '/api/sessions') {
    // A session stopped for sharp pain asks for a pain check before the next one.
    try {
      const body = await request.clone().json();
      if (!body || !body.result || body.result.outcome !== 'stopped_sharp_pain') return;
    } catch { /* unreadable: forget, to be safe */ }
  } else if (CHECK_INS.includes(url.pathname)) return; // a check-in: no safety state in it
  await forgetLivePages();
}

self.addEventListener('fetch', (e) => {
  const request = e.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method !== 'GET') {
    e.waitUntil(forgetIfItChangesSafety(request, url));
    if (request.method === 'POST' && QUEUED.includes(url.pathname)) e.respondWith(sendOrKeep(request));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;
  if (FILES.includes(url.pathname)) {
    e.respondWith(caches.match(url.pathname, { cacheName: ASSET_CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === 'navigate' || isKeptPage(url)) e.respondWith(pageFirstFromNetwork(e, request, url));
});
