// The phone page's service worker: keeps the last copy of /today and the files it needs, so
// that the page opens without a connection. The network comes first; the copy is used only
// when the network fails. Signing out removes this worker and its copy: the sign-out answer
// tells the browser to forget the site's storage (Clear-Site-Data), and phone.js deletes the
// copy itself for a browser that does not heed it.

const CACHE = 'homeward-phone';
const PAGE = '/today';
const FILES = [
  '/assets/homeward.css',
  '/assets/js-enabled.js',
  '/assets/govuk-init.js',
  '/assets/govuk-frontend.min.js',
  '/assets/phone.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // Only the page itself, never a sign-in page it was sent to.
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    event.respondWith(networkFirst(event.request, PAGE));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(networkFirst(event.request, url.pathname));
  }
});
