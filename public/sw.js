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
//   the /pkg files it refers to, and the files those scripts load (the ToR editor's wasm).
// - /pkg/* (content-hashed wasm, js, css): cache first; they never change under one name.
//   Files no kept page refers to any more are removed once every page has been kept again.
// - Other GETs of this site: network first, cache as fallback. The WebSocket (/sync, /yjs)
//   and non-GET requests are not touched.
// - Signing out (the page posts "signed-out"): every kept page and every answer under /_app/
//   is deleted (they showed who was signed in), so the next person on this browser never
//   sees them offline.
// - Pages not to keep ("skip" in "keep-pages", or "forget-pages" alone): the group-only ToRs
//   a person chose not to keep on this device (the "this device" page). They are deleted if
//   kept, never kept again, not even when opened, until a new list says otherwise; the list
//   is kept under SKIP (and deleted at sign-out). Offline they open the offline page.
// - The manifest and its icons (APP_FILES): kept first when keeping every page (not when the
//   worker installs: that is during the first visit, when the ToR editor's file is still on
//   its way), so the app opens from the home screen with no network on its start page (a kept
//   page, as any other), with its name and icon; network first like other GETs; not
//   personal, so kept on signing out.

const CACHE = "programme-desk-v2";
const PAGES = "/_app/offline_pages";
const OFFLINE_PAGE = "/offline";
/// Where the worker notes which account the kept pages were fetched for, and when.
const KEPT = "/__kept";
/// Where the worker keeps the paths it must not keep (a JSON array).
const SKIP = "/__skip";
const PAGE_TIMEOUT_MS = 5000;
const KEEP_FRESH_MS = 60 * 60 * 1000;
/// Pages whose query the kept page without one stands in for, offline.
const QUERY_PAGES = new Set(["/matrix", "/search"]);
/// What the installed app needs besides its pages (public/manifest.webmanifest, public/icons/).
const APP_FILES = ["/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png", "/icons/apple-touch-icon.png"];

let keeping = null;

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

/// The manifest and its icons, one at a time, fetched past the HTTP cache: those missing, or
/// all of them when not `fresh`. One that does not answer is left out (the next keeping
/// fetches it).
async function keepAppFiles(cache, fresh) {
  for (const path of APP_FILES) {
    if (fresh && (await cache.match(path))) continue;
    await cache.add(new Request(path, { cache: "no-cache" })).catch(() => {});
  }
}

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
    const skipFirst = setSkip(data.skip);
    keeping = keeping || skipFirst.then(() => keepPages(String(data.account || ""))).finally(() => (keeping = null));
    event.waitUntil(keeping);
  }
  if (data.type === "forget-pages") event.waitUntil(setSkip(data.skip));
});

/// Remembers `paths` (when it is a list) as the pages not to keep, and deletes their kept
/// copies.
async function setSkip(paths) {
  if (!Array.isArray(paths)) return;
  const cache = await caches.open(CACHE);
  await cache.put(SKIP, new Response(JSON.stringify(paths.map(String))));
  for (const path of paths) await cache.delete(new URL(path, self.location.origin).href);
}

/// The pages not to keep, as a set of paths.
async function skipped() {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(SKIP).then((r) => (r ? r.json() : [])).catch(() => []);
  return new Set(kept);
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

/// The page from the network (kept for later), or the best kept copy when there is none.
async function page(request) {
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (isPage(response) && !(await skipped()).has(new URL(request.url).pathname)) {
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
/// account, one at a time, with the /pkg files they refer to (and those load); then drops
/// /pkg files no page refers to any more.
async function keepPages(account) {
  const cache = await caches.open(CACHE);
  const previous = await cache.match(KEPT).then((r) => (r ? r.json() : null)).catch(() => null);
  const sameAccount = previous && previous.account === account;
  const fresh = sameAccount && Date.now() - previous.at < KEEP_FRESH_MS;
  const list = await fetch(PAGES, { cache: "no-store" });
  if (!list.ok) return;
  const skip = await skipped();
  const paths = (await list.json()).filter((path) => !skip.has(path));
  await keepAppFiles(cache, fresh);
  // The /pkg files pages refer to, kept as soon as a page names them (every page names the
  // same few), so that going offline part way leaves the bundle, the editor's included, kept.
  const files = new Set();
  for (const path of paths) {
    // A choice made while this runs counts at once.
    if ((await skipped()).has(path)) continue;
    const href = new URL(path, self.location.origin).href;
    let kept = await cache.match(href);
    if (!kept || !fresh) {
      const response = await fetch(href, { cache: "no-store" }).catch(() => null);
      if (!response || !isPage(response)) return; // offline again, or the server is unwell: try next time
      kept = response.clone();
      await cache.put(href, response);
    }
    const html = await kept.text();
    const named = new Set([...html.matchAll(/\/pkg\/[A-Za-z0-9._-]+/g)].map((match) => match[0]).filter((asset) => !files.has(asset)));
    if (!named.size) continue;
    for (const asset of await withReferences(cache, named)) {
      files.add(asset);
      if (!(await cache.match(asset))) await cache.add(asset).catch(() => {});
    }
  }
  const keep = new Set([...files].map((asset) => new URL(asset, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith("/pkg/") && !keep.has(request.url)) await cache.delete(request);
  }
  if (!fresh) await cache.put(KEPT, new Response(JSON.stringify({ account, at: Date.now() })));
}

/// `assets` (/pkg paths) with every file their scripts load in turn, which no page names: the
/// main script imports the split loader, which fetches the ToR editor's own wasm file
/// (`cargo leptos build --split`). A name that does not answer is left out.
async function withReferences(cache, assets) {
  const all = new Set(assets);
  const queue = [...all].filter((asset) => asset.endsWith(".js"));
  while (queue.length) {
    const script = queue.pop();
    if (!(await cache.match(script))) await cache.add(script).catch(() => {});
    const kept = await cache.match(script);
    if (!kept) {
      all.delete(script);
      continue;
    }
    for (const match of (await kept.text()).matchAll(/["']\.\/([A-Za-z0-9._-]+\.(?:js|wasm))["']/g)) {
      const path = new URL(match[1], new URL(script, self.location.origin)).pathname;
      if (all.has(path)) continue;
      all.add(path);
      if (path.endsWith(".js")) queue.push(path);
    }
  }
  return all;
}

/// After signing out: everything that showed who was signed in.
async function forgetPersonal() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!path.startsWith("/pkg/") && !APP_FILES.includes(path)) await cache.delete(request);
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
