// blobscale's service worker (ARCHITECTURE.md §8). Two jobs:
//
// 1. Cross-origin isolation on static hosts that send no COOP/COEP headers (GitHub Pages):
//    every same-origin response is re-served with them, so the page can share memory
//    between its Web Workers. Written for blobscale after the coi-serviceworker idea.
// 2. Offline use: each build's files are kept under a version key. When the page asks (once
//    it is idle after its first result, so the copying takes nothing from the page's
//    start) every file of the build is cached, both wasm flavours included; later visits
//    are served from that cache and work without a network. A new version is fetched in the background and waits until
//    the page says the user wants it; the page then reloads once.
//
// VERSION and PRECACHE are written by tools/sw_precache.py after each build: a digest of
// every file, and the list of them. Unbuilt (trunk serve), the list is empty and the
// worker caches nothing.
const VERSION = 'dev';
const PRECACHE = [];
const CACHE = `blobscale-${VERSION}`;

self.addEventListener('install', (event) => {
  if (!self.registration.active) {
    // A first install takes over at once: the page reloads into isolation as soon as it
    // is controlled; the build is cached when the page asks.
    event.waitUntil(self.skipWaiting());
    return;
  }
  // An update fetches its whole build before it can take over.
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('blobscale-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const what = event.data && event.data.type;
  if (what === 'skip-waiting') {
    event.waitUntil(self.skipWaiting());
  } else if (what === 'precache') {
    // Answers on the port it was given: how many files are cached, or why not.
    const port = event.ports[0];
    event.waitUntil(precache().then(
      (files) => port && port.postMessage({ ok: true, version: VERSION, files }),
      (e) => port && port.postMessage({ ok: false, version: VERSION, error: String(e) }),
    ));
  }
});

// Every file of this build that is not cached yet, fetched past the HTTP cache so that a
// version never mixes files of two builds. Resolves to the number of files cached.
async function precache() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of PRECACHE) {
    if (!(await cache.match(new URL(path, self.location).href))) missing.push(path);
  }
  await Promise.all(missing.map(async (path) => {
    const response = await fetch(new Request(path, { cache: 'reload' }));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(new URL(path, self.location).href, response);
  }));
  return (await cache.keys()).length;
}

// A page is cached and served by its path alone: ?threads=2 and ?nosw open the same file.
function pageKey(url) {
  const path = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
  return new URL(path, url.origin).href;
}

function isolated(response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    event.respondWith(fetch(request).then(isolated));
    return;
  }
  if (VERSION === 'dev') {
    // An unversioned worker (trunk serve) caches nothing: every rebuild is served as is.
    event.respondWith(fetch(request).then(isolated));
    return;
  }
  const key = request.mode === 'navigate' ? pageKey(url) : url.href;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(key);
    return isolated(cached || await fetch(request));
  })());
});
