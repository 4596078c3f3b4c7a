// Programme Desk's service worker: keeps the app shell so the app opens with no network, on
// any route.
//
// - Pages: network first (5 s at most); with no answer, the cached app shell (/app-shell),
//   which the wasm turns into whatever page the address asks for, from local data.
// - /pkg/* (content-hashed wasm, js, css): cache first; they never change under one name.
// - Other GETs of this site (the programme at /_app/programme, icons): network first, cache
//   as fallback.
// - Updates never strand anyone offline: a new shell is put in the cache only after every
//   file it refers to is cached, and files of older shells are removed only after that.
// - The WebSocket (/sync, /yjs) and non-GET requests are not touched.
// - Signing out (the page posts "signed-out"): answers that depend on who was signed in (the
//   server functions under /_app/ other than the programme: a ToR's text, who is signed in,
//   comment counts) are deleted, so the next person on this browser never sees them offline.

const CACHE = "programme-desk-v1";
const SHELL = "/app-shell";
const PROGRAMME = "/_app/programme";
const PAGE_TIMEOUT_MS = 5000;
const SHELL_REFRESH_MS = 60 * 1000;

let lastShellRefresh = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(refreshShell().then(() => self.skipWaiting()));
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
  if (event.data === "signed-out") event.waitUntil(forgetPersonalAnswers());
});

async function forgetPersonalAnswers() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/_app/") && path !== PROGRAMME) await cache.delete(request);
  }
}

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

/// The page from the network, or the shell when there is none (or it takes too long).
async function page(request) {
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (response.ok && Date.now() - lastShellRefresh > SHELL_REFRESH_MS) {
      // Online: keep the shell in step with the server's current build, in the background.
      refreshShell().catch(() => {});
    }
    return response;
  } catch (_offline) {
    const shell = await caches.match(SHELL);
    return shell || new Response(OFFLINE_TEXT, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}

const OFFLINE_TEXT = "Programme Desk is offline and has not been opened on this device before. Open it once online.";

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

/// Fetches the shell and every file it loads; stores them, then the shell; then drops the
/// /pkg files no longer referred to.
async function refreshShell() {
  lastShellRefresh = Date.now();
  const response = await fetch(SHELL, { cache: "no-store" });
  if (!response.ok) throw new Error(`app shell: HTTP ${response.status}`);
  const html = await response.clone().text();
  const assets = [...new Set([...html.matchAll(/\/pkg\/[A-Za-z0-9._-]+/g)].map((m) => m[0]))];
  const cache = await caches.open(CACHE);
  await Promise.all(
    assets.map(async (asset) => {
      if (!(await cache.match(asset))) await cache.add(asset);
    }),
  );
  await cache.add(PROGRAMME).catch(() => {});
  await cache.put(SHELL, response);
  const keep = new Set(assets.map((asset) => new URL(asset, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith("/pkg/") && !keep.has(request.url)) await cache.delete(request);
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
