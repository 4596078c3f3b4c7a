// Programme Desk's service worker: keeps the pages a person may open, so the app opens with no
// network on any of them, as the server rendered them (the pages are islands: the browser
// cannot build a page of its own, so what opens offline is a kept copy).
//
// - Pages: network first (5 s at most), and every page that answers is kept (under its full
//   address). With no answer: the kept copy of that address; for the matrix and search with
//   a query not kept, the kept page without it (the page says its filter or search needs a
//   connection); otherwise the kept /offline page.
// - Keeping every page ("keep-pages", posted by the page once it is interactive, never when
//   the browser says the person saves data): the list comes from /_app/offline_pages (the
//   programme's pages and the ToRs this session may read); each page not kept yet, or kept
//   for another account, or longer ago than KEEP_FRESH_MS, is fetched one at a time, with
//   the /pkg files it refers to.
// - /pkg/* (content-hashed wasm, js, css): cache first; they never change under one name.
//   Files no kept page refers to any more are removed once every page has been kept again.
// - Other GETs of this site: network first, cache as fallback. The WebSocket (/sync, /yjs)
//   and non-GET requests are not touched.
// - Signing out (the page posts "signed-out"): every kept page and every answer under /_app/
//   is deleted (they showed who was signed in), so the next person on this browser never
//   sees them offline.

const CACHE = "programme-desk-v2";
const PAGES = "/_app/offline_pages";
const OFFLINE_PAGE = "/offline";
/// Where the worker notes which account the kept pages were fetched for, and when.
const KEPT = "/__kept";
const PAGE_TIMEOUT_MS = 5000;
const KEEP_FRESH_MS = 60 * 60 * 1000;
/// Pages whose query the kept page without one stands in for, offline.
const QUERY_PAGES = new Set(["/matrix", "/search"]);

let keeping = null;

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data === "signed-out") event.waitUntil(forgetPersonal());
  if (data.type === "keep-pages") {
    keeping = keeping || keepPages(String(data.account || "")).finally(() => (keeping = null));
    event.waitUntil(keeping);
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sync" || url.pathname.startsWith("/yjs/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/pkg/")) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

/// The page from the network (kept for later), or the best kept copy when there is none.
async function page(request) {
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (isPage(response)) {
      const cache = await caches.open(CACHE);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (_offline) {
    return (await keptPage(new URL(request.url))) || new Response(OFFLINE_TEXT, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}

const OFFLINE_TEXT = "Programme Desk is offline and has not been opened on this device before. Open it once online.";

async function keptPage(url) {
  const cache = await caches.open(CACHE);
  const exact = await cache.match(url.href);
  if (exact) return exact;
  if (QUERY_PAGES.has(url.pathname)) {
    const without = await cache.match(url.origin + url.pathname);
    if (without) return without;
  }
  return cache.match(url.origin + OFFLINE_PAGE);
}

function isPage(response) {
  return response.ok && (response.headers.get("content-type") || "").startsWith("text/html");
}

/// Fetches every page this session may open that is missing, stale or kept for another
/// account, one at a time, with the /pkg files they refer to; then drops /pkg files no page
/// refers to any more.
async function keepPages(account) {
  const cache = await caches.open(CACHE);
  const previous = await cache.match(KEPT).then((r) => (r ? r.json() : null)).catch(() => null);
  const sameAccount = previous && previous.account === account;
  const fresh = sameAccount && Date.now() - previous.at < KEEP_FRESH_MS;
  const list = await fetch(PAGES, { cache: "no-store" });
  if (!list.ok) return;
  const paths = await list.json();
  const assets = new Set();
  for (const path of paths) {
    const href = new URL(path, self.location.origin).href;
    let kept = await cache.match(href);
    if (!kept || !fresh) {
      const response = await fetch(href, { cache: "no-store" }).catch(() => null);
      if (!response || !isPage(response)) return; // offline again, or the server is unwell: try next time
      kept = response.clone();
      await cache.put(href, response);
    }
    const html = await kept.text();
    for (const match of html.matchAll(/\/pkg\/[A-Za-z0-9._-]+/g)) assets.add(match[0]);
  }
  for (const asset of assets) {
    if (!(await cache.match(asset))) await cache.add(asset).catch(() => {});
  }
  const keep = new Set([...assets].map((asset) => new URL(asset, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith("/pkg/") && !keep.has(request.url)) await cache.delete(request);
  }
  if (!fresh) await cache.put(KEPT, new Response(JSON.stringify({ account, at: Date.now() })));
}

/// After signing out: everything that showed who was signed in.
async function forgetPersonal() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (!new URL(request.url).pathname.startsWith("/pkg/")) await cache.delete(request);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(request);
    if (cached) return cached;
    throw offline;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
