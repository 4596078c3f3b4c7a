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
// - Answers sent with no network (a questionnaire's form, POST /answer/{secret}, or a signed-in
//   answer, POST /evaluations/{id}/answer): the form's body is kept in the outbox (OUTBOX
//   entries, one per sending, in order) and the page goes to the form's address with
//   `?queued=1`, whose kept copy (`keptPage`) says it is saved on this device. Every entry is
//   sent again, oldest first, whenever a page asks ("send-answers": public/answers.js on load
//   and when the browser is back online), after any page fetched from the network, and on
//   Background Sync where the browser has it. An entry leaves the outbox only when the server
//   answered it: recorded (`sent=1`), or refused with the answers kept there as the
//   respondent's draft (then it stays listed, "needs attention", with the form's address, until
//   that form is sent, through the outbox or online: the form's page says "answered" with its
//   path when it comes back with `?sent=1`, or the person removes it). No network, a server error, "too many new
//   respondents" (`busy`), a session ended (sign-in) or another account signed in (`account`:
//   the form names the account that wrote it, and the server never records it for another)
//   keep it queued. Sending twice (a send the server recorded whose answer was lost) records
//   the same answers again as a new revision of the same respondent's answer: results count
//   each respondent once. Outbox entries are not personal pages: signing out keeps them.
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
/// Where each answer not yet sent is kept: OUTBOX + a sortable id (see `queueAnswer`).
const OUTBOX = "/__outbox/";
/// Forms whose sending is kept in the outbox when there is no network.
const ANSWER_FORM = /^\/(answer\/[A-Za-z0-9_-]+|evaluations\/[a-z0-9-]+\/answer)$/;
/// How long a form's sending may take before it is kept to be sent later (a slow network).
const ANSWER_TIMEOUT_MS = 15000;
/// Pages whose query the kept page without one stands in for, offline.
const QUERY_PAGES = new Set(["/matrix", "/search"]);
/// What the installed app needs besides its pages (public/manifest.webmanifest, public/icons/).
const APP_FILES = ["/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png", "/icons/apple-touch-icon.png"];

let keeping = null;
let sending = null;

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
  if (data.type === "keep-page") event.waitUntil(keepPage(String(data.path || "")));
  if (data.type === "send-answers") event.waitUntil(sendAnswers());
  if (data.type === "list-answers" && event.ports[0]) event.waitUntil(caches.open(CACHE).then(outbox).then((entries) => event.ports[0].postMessage(entries)));
  if (data.type === "forget-answer") event.waitUntil(forgetAnswer(String(data.id || "")));
  if (data.type === "answered") event.waitUntil(answered(String(data.path || "")));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "answers") event.waitUntil(sendAnswers());
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
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && ANSWER_FORM.test(url.pathname)) {
    event.respondWith(sendOrQueue(request));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname === "/sync" || url.pathname.startsWith("/yjs/")) return;
  // Live results (public/live-results.js): the page asked again, and the events that say when
  // (`/evaluations/{id}/live`, a stream that never ends), go to the network only; nothing of
  // them is kept.
  if (request.headers.has("x-pd-live") || (request.headers.get("accept") || "").includes("text/event-stream")) return;
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
    // The network is there: answers kept for later go now (not awaited by the page).
    sendAnswers();
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
  if (ANSWER_FORM.test(url.pathname)) {
    // A form's address after sending (`?queued=1`, `?sent=1`…): the form as kept, in the
    // language asked for, else in any.
    const lang = url.searchParams.get("lang");
    const kept = (lang && (await cache.match(`${url.origin}${url.pathname}?lang=${encodeURIComponent(lang)}`))) || (await cache.match(url.origin + url.pathname));
    if (kept) return kept;
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
    if (!path.startsWith("/pkg/") && !path.startsWith(OUTBOX) && !APP_FILES.includes(path)) await cache.delete(request);
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

/// Keeps the page at `path` (a form to answer, opened before this worker controlled it) and
/// the files it names, so it opens with no network.
async function keepPage(path) {
  const url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin || !ANSWER_FORM.test(url.pathname)) return;
  const cache = await caches.open(CACHE);
  const response = await fetch(url.href, { cache: "no-store" }).catch(() => null);
  if (!response || !isPage(response)) return;
  const html = await response.clone().text();
  await cache.put(url.href, response);
  const named = new Set([...html.matchAll(/(?:src|href)="(\/[A-Za-z0-9._\/-]+\.(?:js|css|wasm|svg))"/g)].map((match) => match[1]));
  for (const asset of await withReferences(cache, named)) {
    if (!(await cache.match(asset))) await cache.add(asset).catch(() => {});
  }
}

/// A form's sending: to the server when it answers within ANSWER_TIMEOUT_MS, else kept in
/// the outbox, the page going to the form's address with `?queued=1`.
async function sendOrQueue(request) {
  const body = await request.clone().text();
  try {
    return await withTimeout(fetch(request), ANSWER_TIMEOUT_MS);
  } catch (_offline) {
    const url = new URL(request.url);
    await queueAnswer(url.pathname, body);
    const lang = new URLSearchParams(body).get("lang");
    const back = lang && lang !== "en" ? `${url.pathname}?queued=1&lang=${encodeURIComponent(lang)}` : `${url.pathname}?queued=1`;
    return Response.redirect(new URL(back, self.location.origin).href, 303);
  }
}

/// Keeps one sending of the form at `path` (its url-encoded `body`) in the outbox.
async function queueAnswer(path, body) {
  const cache = await caches.open(CACHE);
  // Time first, so the outbox's keys sort oldest first.
  const id = `${String(Date.now()).padStart(15, "0")}-${Math.random().toString(36).slice(2, 10)}`;
  const entry = { id, path, body, at: new Date().toISOString(), state: "queued" };
  await cache.put(OUTBOX + id, new Response(JSON.stringify(entry), { headers: { "content-type": "application/json" } }));
  if (self.registration.sync) await self.registration.sync.register("answers").catch(() => {});
  await tellPages();
}

/// The outbox's entries, oldest first.
async function outbox(cache) {
  const entries = [];
  for (const request of await cache.keys()) {
    if (!new URL(request.url).pathname.startsWith(OUTBOX)) continue;
    const entry = await cache.match(request).then((r) => r.json()).catch(() => null);
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/// Sends every queued entry, oldest first, one at a time; stops at the first that finds no
/// network. One run at a time.
function sendAnswers() {
  sending = sending || sendQueued().finally(() => (sending = null));
  return sending;
}

async function sendQueued() {
  const cache = await caches.open(CACHE);
  for (const entry of await outbox(cache)) {
    if (entry.state !== "queued") continue;
    let response;
    try {
      response = await withTimeout(
        fetch(entry.path, {
          method: "POST",
          body: entry.body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          credentials: "same-origin",
          redirect: "follow",
        }),
        ANSWER_TIMEOUT_MS,
      );
    } catch (_offline) {
      return;
    }
    const after = afterSending(entry, response);
    if (after === "sent") {
      await cache.delete(OUTBOX + entry.id);
      // A form sent replaces what an earlier refused sending of it left.
      for (const earlier of await outbox(cache)) {
        if (earlier.path === entry.path && earlier.state === "attention") await cache.delete(OUTBOX + earlier.id);
      }
    } else if (after) {
      await cache.put(OUTBOX + entry.id, new Response(JSON.stringify(after), { headers: { "content-type": "application/json" } }));
    }
    await tellPages();
  }
}

/// What the server's answer to `entry` makes of it: "sent"; the entry updated (needs
/// attention, or still queued with why); `null` to leave it as it was.
function afterSending(entry, response) {
  const final = new URL(response.url || entry.path, self.location.origin);
  const refused = final.searchParams.get("refused");
  if (response.ok && final.pathname === entry.path && final.searchParams.get("sent")) return "sent";
  if (response.ok && final.pathname === "/sign-in") return { ...entry, why: "signed-out" };
  if (response.ok && (refused === "busy" || refused === "account")) return { ...entry, why: refused };
  if (response.ok && final.pathname === entry.path && refused) {
    // The server kept the answers as the draft: the form says what to change.
    return { ...entry, state: "attention", why: refused, link: final.pathname + final.search };
  }
  if (response.status === 404) return { ...entry, state: "attention", why: "gone" };
  // A server error or anything unforeseen: try again later.
  return { ...entry, why: `status ${response.status}` };
}

/// Removes outbox entry `id`, when it needs attention (never one still to be sent).
async function forgetAnswer(id) {
  const cache = await caches.open(CACHE);
  const entry = await cache.match(OUTBOX + id).then((r) => (r ? r.json() : null)).catch(() => null);
  if (entry && entry.state === "attention") await cache.delete(OUTBOX + id);
  await tellPages();
}

/// Form `path` was sent and recorded: what needed attention there is settled.
async function answered(path) {
  const cache = await caches.open(CACHE);
  let changed = false;
  for (const entry of await outbox(cache)) {
    if (entry.path === path && entry.state === "attention") {
      await cache.delete(OUTBOX + entry.id);
      changed = true;
    }
  }
  if (changed) await tellPages();
}

/// Tells every open page the outbox changed (public/answers.js lists it again).
async function tellPages() {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "answers-changed" });
}
