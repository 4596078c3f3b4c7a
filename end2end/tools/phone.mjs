// The phone benchmark (`make phone`; end2end/README.md, "Phone benchmark"), all of it: starts
// the release server with the demo accounts, drives Chromium as Lighthouse's mobile profile (150
// ms round trip, 1.6/0.75 Mbps, CPU 4× slower, a 390 × 844 Pixel 7) signed in as the demo
// editor, and measures each kind of page on a first visit (empty cache, no service worker) and a
// repeat visit (service worker active): bytes transferred before and after interactive (and,
// on a ToR, before editable: the editor loads after), first contentful paint, interactive, and
// editable on a ToR and a questionnaire. Prints the medians of --runs and the
// budget, writes --json; exits 1 only with --enforce and a figure over budget (2 on an error).
//
//   node tools/phone.mjs [--runs 5] [--json FILE] [--server-bin BIN] [--site-root DIR] [--enforce]
import { chromium, devices } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const EDITOR_PASSWORD = 'pompidou demo password'; // every demo account's (README, "Demo data")
const PAGES = [
  { kind: 'overview', path: '/' },
  { kind: 'matrix', path: '/matrix' },
  { kind: 'action', path: '/actions/human-rights-coherent-policy' },
  // A PC working party's ToR: Permanent Correspondents own it, and the demo editor edits theirs.
  { kind: 'tor', path: '/tor/human-rights-coherent-policy', editable: true },
  // The demo's post-activity questionnaire, through its participants' link (its secret path is
  // read from the API as the Secretariat: `questionnairePath`); editable is its first field.
  { kind: 'questionnaire', path: null, editable: true },
];
const SECRETARIAT = { email: 'secretariat@demo.example', password: EDITOR_PASSWORD };
const DEMO_QUESTIONNAIRE = 'executive-training-2020';
const EDITOR = { email: 'editor@demo.example', password: EDITOR_PASSWORD };
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const NO_THROTTLING = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
const CPU_SLOWDOWN = 4;
const { defaultBrowserType: _, ...PIXEL_7 } = devices['Pixel 7'];
const DEVICE = { ...PIXEL_7, viewport: { width: 390, height: 844 } };
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
const BUDGET = [
  { what: 'interactive ≤ 2.5 s', figure: 'interactive', limit: 2.5, unit: 's', applies: () => true },
  { what: 'ToR or questionnaire editable ≤ 3.0 s', figure: 'editable', limit: 3.0, unit: 's', applies: (page) => page.editable },
  { what: 'repeat visit interactive ≤ 1.2 s', figure: 'interactive', limit: 1.2, unit: 's', applies: (_, visit) => visit === 'repeat' },
  { what: 'transferred before interactive ≤ 300 KB', figure: 'kbBefore', limit: 300, unit: 'KB', applies: () => true },
];
const VISIT_TIMEOUT_MS = 90_000; // to interactive, and again to editable
const QUIET_MS = 2_000; // no request in flight for this long: the visit's background work is over
const SETTLE_TIMEOUT_MS = 120_000; // at most, for that and for an active service worker

// Runs in every document before the page's own scripts: the moments (performance.now()) the
// wasm marks the body hydrated and the first ToR field stops being read-only.
const MARKS = () => {
  let markInteractive, markEditable;
  const marks = { interactive: null, editable: null };
  window.__phone = {
    interactive: new Promise((resolve) => (markInteractive = resolve)),
    editable: new Promise((resolve) => (markEditable = resolve)),
  };
  const wantsEditable = location.pathname.startsWith('/tor/') || location.pathname.startsWith('/answer/');
  const done = () => marks.interactive !== null && (marks.editable !== null || !wantsEditable);
  const check = () => {
    if (marks.interactive === null && document.body?.hasAttribute('data-hydrated')) markInteractive((marks.interactive = performance.now()));
    const field = marks.editable === null ? document.querySelector('textarea[data-section], form.questionnaire :is(input:not([type=hidden]), textarea, select)') : null;
    if (field && !field.readOnly && !field.disabled) markEditable((marks.editable = performance.now()));
    if (done()) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const everyFrame = () => (check(), done() || requestAnimationFrame(everyFrame));
  requestAnimationFrame(everyFrame);
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const deferred = (it = {}) => Object.assign(it, { promise: new Promise((resolve) => (it.resolve = resolve)) });
const within = (promise, ms, what) => {
  promise.catch(() => {}); // still pending at a timeout, it fails when the context closes
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`the page did not ${what} within ${ms / 1000} s`)))]);
};
const median = (xs) => {
  const sorted = xs.filter((x) => x !== null).sort((a, b) => a - b), mid = sorted.length >> 1;
  return !sorted.length ? null : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      json: { type: 'string', default: join(ROOT, 'target/phone.json') },
      'server-bin': { type: 'string', default: join(ROOT, 'target/release/server') },
      'site-root': { type: 'string', default: join(ROOT, 'target/site') },
      enforce: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number from 1, not "${values.runs}"`);
  for (const flag of ['server-bin', 'site-root'])
    if (!existsSync(values[flag])) throw new Error(`--${flag}: nothing at ${values[flag]} (run \`make build\`, or point it at a build)`);
  return { ...values, runs, serverBin: resolve(values['server-bin']), siteRoot: resolve(values['site-root']) };
}

const freePort = () => new Promise((resolvePort, reject) => {
  const probe = createServer().once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolvePort(port));
  });
});

// The release server with the demo accounts; stopped (and its data folder removed) on exit.
async function startServer(serverBin, siteRoot) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'phone-bench-'));
  const args = ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', siteRoot, '--demo', '--log-level', 'warn'];
  const child = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150 && child.exitCode === null; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return base;
    await sleep(200);
  }
  stop();
  throw new Error(`the server (${serverBin}) never answered ${base}/healthz; its output:\n${output}`);
}

// The demo questionnaire's participants' link (a path with its secret), as the Secretariat
// reads it from the API.
async function questionnairePath(base) {
  const signIn = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SECRETARIAT) });
  if (!signIn.ok) throw new Error(`signing in as ${SECRETARIAT.email}: HTTP ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const answer = await fetch(`${base}/api/v1/evaluations/${DEMO_QUESTIONNAIRE}`, { headers: { cookie } });
  const { link } = answer.ok ? await answer.json() : {};
  if (!link) throw new Error(`the demo questionnaire ${DEMO_QUESTIONNAIRE} has no participants' link for the Secretariat (HTTP ${answer.status})`);
  return link;
}

// Signs the context in through the JSON API, with no page loaded (so no service worker yet)
// and no throttling. Five sign-ins per account per minute: a refusal waits and tries again.
async function signIn(context, base) {
  for (let attempt = 0; ; attempt++) {
    const response = await context.request.post(`${base}/api/v1/session`, { data: EDITOR });
    if (response.status() === 429 && attempt < 10) await sleep(13_000);
    else if (!response.ok()) throw new Error(`signing in as ${EDITOR.email}: HTTP ${response.status()} ${await response.text()}`);
    else break;
  }
  const who = await (await context.request.get(`${base}/api/v1/session`)).json();
  if (!who.signed_in) throw new Error(`signed in as ${EDITOR.email}, but the session cookie does not reach the server`);
}

// A service worker fetches in its own CDP target, which the page's throttling does not reach.
// Playwright resumes a new worker the moment it starts, before anything of ours can reach it,
// so a browser-level Fetch interception holds every /sw.js request until that worker's target
// (the request's frameId) has its throttling (see `instrument`): without its script the worker
// runs nothing, so it fetches nothing unthrottled.
const workersThrottled = new Map(); // worker target id → { promise, resolve }
const workerThrottled = (targetId) => workersThrottled.get(targetId) ?? workersThrottled.set(targetId, deferred()).get(targetId);

async function holdWorkerScripts(browser) {
  const session = await browser.newBrowserCDPSession();
  session.on('Fetch.requestPaused', async ({ requestId, frameId, request }) => {
    const held = await Promise.race([workerThrottled(frameId).promise.then(() => true), sleep(5_000).then(() => false)]);
    if (!held) console.warn(`  warning: ${request.url} held 5 s, and no worker target ${frameId} was throttled meanwhile`);
    session.send('Fetch.continueRequest', { requestId }).catch(() => {});
  });
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*/sw.js*', requestStage: 'Request' }] });
}

// Throttles the page and every target it attaches (its service worker), and records their
// network: what finished when, what is in flight, and any response that came back faster
// than the emulated round trip (a target that escaped throttling).
async function instrument(context, page) {
  const cdp = await context.newCDPSession(page);
  const rec = { clock: null, inFlight: new Set(), lastActivity: Date.now(), workers: [] };
  rec.reset = () => Object.assign(rec, { finished: [], viaWorker: new Set(), unthrottled: [] });
  rec.reset();
  const onNetwork = (source, method, p) => {
    const key = `${source}:${p.requestId}`;
    rec.lastActivity = Date.now();
    if (method === 'Network.requestWillBeSent') {
      rec.clock ??= p.wallTime - p.timestamp; // CDP's monotonic seconds to wall-clock seconds
      rec.inFlight.add(key);
    } else if (method === 'Network.responseReceived') {
      const { fromServiceWorker, fromDiskCache, fromPrefetchCache, timing, url } = p.response;
      if (fromServiceWorker) rec.viaWorker.add(key);
      else if (!fromDiskCache && !fromPrefetchCache && timing && timing.receiveHeadersEnd < 0.9 * NETWORK.latency) rec.unthrottled.push(url);
    } else if (method === 'Network.loadingFinished' || method === 'Network.loadingFailed') {
      rec.inFlight.delete(key);
      if (method === 'Network.loadingFinished' && !rec.viaWorker.has(key)) rec.finished.push({ at: p.timestamp, bytes: p.encodedDataLength });
    }
  };
  for (const method of ['Network.requestWillBeSent', 'Network.responseReceived', 'Network.loadingFinished', 'Network.loadingFailed'])
    cdp.on(method, (p) => onNetwork('page', method, p));

  // Playwright's CDPSession takes no sessionId, so attached targets are reached non-flat.
  let nextId = 1;
  const replies = new Map();
  const toTarget = (sessionId, method, params = {}) => {
    const id = nextId++, reply = new Promise((resolveIt, reject) => replies.set(id, { resolveIt, reject }));
    return { reply, sent: cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }) };
  };
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const msg = JSON.parse(message);
    const waiting = replies.get(msg.id);
    replies.delete(msg.id);
    if (waiting) msg.error ? waiting.reject(new Error(`${msg.error.message}`)) : waiting.resolveIt(msg.result);
    else if (msg.method?.startsWith('Network.')) onNetwork(sessionId, msg.method, msg.params);
  });
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type === 'service_worker') rec.workers.push(sessionId);
    const throttle = [['Network.enable'], ['Network.setCacheDisabled', { cacheDisabled: false }], ['Network.emulateNetworkConditions', NETWORK], ['Runtime.runIfWaitingForDebugger']];
    const sent = throttle.map(([method, params]) => toTarget(sessionId, method, params).sent);
    Promise.all(sent).then(() => workerThrottled(targetInfo.targetId).resolve(), () => {});
  });

  for (const [method, params] of [['Network.enable'], ['Network.setCacheDisabled', { cacheDisabled: false }], ['Network.emulateNetworkConditions', NETWORK],
    ['Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN }], ['Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false }]])
    await cdp.send(method, params);
  return { rec, toTarget };
}

// Waits for the service worker to be active (its install caches the app shell) and for the
// network to go quiet, within SETTLE_TIMEOUT_MS. Node polls here, but only to stop waiting.
async function settle(page, rec) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  const ready = page.evaluate(() => navigator.serviceWorker.ready.then((r) => !!r.active)).catch(() => false);
  const workerReady = await Promise.race([ready, sleep(SETTLE_TIMEOUT_MS).then(() => false)]);
  while (Date.now() < deadline && (rec.inFlight.size > 0 || Date.now() - rec.lastActivity < QUIET_MS)) await sleep(100);
  return workerReady;
}

async function visit(page, probe, url, editable) {
  const { rec } = probe;
  rec.reset();
  await page.goto(url, { waitUntil: 'commit', timeout: VISIT_TIMEOUT_MS });
  const interactive = await within(page.evaluate(() => window.__phone.interactive), VISIT_TIMEOUT_MS, 'hydrate');
  let editableAt = null;
  if (editable) {
    editableAt = await within(page.evaluate(() => window.__phone.editable), VISIT_TIMEOUT_MS, 'make its first ToR field editable').catch(async (e) => {
      const mayEdit = await page.evaluate(() => document.querySelector('textarea[data-section]')?.dataset.mayEdit);
      throw new Error(`${e.message} (${url}: data-may-edit=${mayEdit}; the demo editor must be allowed to edit this ToR)`);
    });
  }
  const { fcp, timeOrigin } = await page.evaluate(() => new Promise((resolveIt) => {
    const answer = () => {
      const entry = performance.getEntriesByName('first-contentful-paint')[0];
      if (entry) resolveIt({ fcp: entry.startTime, timeOrigin: performance.timeOrigin });
    };
    new PerformanceObserver(answer).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolveIt({ fcp: null, timeOrigin: performance.timeOrigin }), 5_000);
  }));
  const workerReady = await settle(page, rec);
  const cutAt = (ms) => (timeOrigin + ms) / 1000 - (rec.clock ?? 0); // a mark, in CDP's clock
  const cut = cutAt(interactive);
  const bytes = (early, at = cut) => rec.finished.filter((f) => (f.at <= at) === early).reduce((sum, f) => sum + f.bytes, 0);
  const seconds = (ms) => (ms === null ? null : Math.round(ms) / 1000);
  const kb = (early, at = cut) => Math.round(bytes(early, at) / 100) / 10;
  const { unthrottled } = rec;
  if (unthrottled.length) console.warn(`  warning: ${url}: answers faster than the round trip (not throttled?): ${unthrottled.join(', ')}`);
  if (!workerReady) console.warn(`  warning: ${url}: no active service worker within ${SETTLE_TIMEOUT_MS / 1000} s`);
  // On a ToR the editor loads after the page is interactive (its own wasm file): what the
  // person waits for to type is reported too.
  const kbEditable = editableAt === null ? null : kb(true, cutAt(editableAt));
  return { kbBefore: kb(true), kbAfter: kb(false), kbEditable, fcp: seconds(fcp), interactive: seconds(interactive), editable: seconds(editableAt), workerReady, unthrottled };
}

// A fresh context (empty cache, no service worker), signed in; its tab throttled.
async function withContext(browser, base, body) {
  const context = await browser.newContext(DEVICE);
  try {
    await context.addInitScript(MARKS);
    await signIn(context, base);
    const page = await context.newPage();
    return await body(page, await instrument(context, page));
  } finally {
    await context.close();
  }
}

// The first visit, then the repeat visit in the same tab.
const measure = (browser, base, { path, editable }) =>
  withContext(browser, base, async (page, probe) => ({ first: await visit(page, probe, base + path, editable), repeat: await visit(page, probe, base + path, editable) }));

// Proves the service worker's target is throttled: after a visit, the worker fetches the wasm
// bundle (no-store) throttled, then with throttling lifted.
async function checkWorkerThrottling(browser, base) {
  return withContext(browser, base, async (page, probe) => {
    await visit(page, probe, `${base}/`, false);
    const worker = probe.rec.workers.at(-1);
    if (!worker) throw new Error('no service worker target was attached: its fetches would not be throttled');
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.endsWith('.wasm')));
    if (!wasm) throw new Error('the page loaded no .wasm file to time the service worker with');
    const timedFetch = async () => {
      probe.rec.reset();
      const expression = `(async () => { const t = performance.now(); await (await fetch(${JSON.stringify(wasm)}, { cache: 'no-store' })).arrayBuffer(); return (performance.now() - t) / 1000; })()`;
      const { result } = await probe.toTarget(worker, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }).reply;
      return { seconds: result.value, bytes: probe.rec.finished.reduce((sum, f) => sum + f.bytes, 0) };
    };
    const throttled = await timedFetch();
    await probe.toTarget(worker, 'Network.emulateNetworkConditions', NO_THROTTLING).reply;
    const unthrottled = await timedFetch();
    const expected = NETWORK.latency / 1000 + throttled.bytes / NETWORK.downloadThroughput;
    const check = { file: new URL(wasm).pathname, bytes: throttled.bytes, throttledS: throttled.seconds, unthrottledS: unthrottled.seconds, expectedS: expected };
    if (!(throttled.bytes > 0) || throttled.seconds < 0.9 * expected)
      throw new Error(`the service worker is not throttled: ${JSON.stringify(check)}`);
    return check;
  });
}

const fixed = (x, digits) => (x === null ? '–' : x.toFixed(digits));
const VISITS = ['first', 'repeat'];
const FIGURES = { kbBefore: ['KB before', 1], kbAfter: ['KB after', 1], kbEditable: ['KB editable', 1], fcp: ['FCP s', 2], interactive: ['interactive s', 2], editable: ['editable s', 2] };
const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(9) : c.padStart(FIGURES[Object.keys(FIGURES)[i - 2]][0].length))).join('  ');

function summarise(runs) {
  const of = (kind, visit) => {
    const samples = runs.map((run) => run[kind][visit]);
    return { median: Object.fromEntries(Object.keys(FIGURES).map((f) => [f, median(samples.map((s) => s[f]))])), runs: samples };
  };
  return Object.fromEntries(PAGES.map(({ kind }) => [kind, { first: of(kind, 'first'), repeat: of(kind, 'repeat') }]));
}

function report(summary, runs) {
  console.log(`\nMedian of ${runs} run(s); KB = 1000 bytes as transferred (compressed), page and service worker.`);
  console.log(line(['page', 'visit', ...Object.values(FIGURES).map(([title]) => title)]));
  for (const { kind } of PAGES)
    for (const visit of VISITS) {
      const m = summary[kind][visit].median;
      console.log(line([kind, visit, ...Object.entries(FIGURES).map(([f, [, digits]]) => fixed(m[f], digits))]));
    }
  const budget = BUDGET.flatMap(({ what, figure, limit, unit, applies }) =>
    PAGES.flatMap((page) => VISITS.filter((visit) => applies(page, visit)).map((visit) => {
      const value = summary[page.kind][visit].median[figure];
      return { what, page: page.kind, visit, value, limit, unit, met: value !== null && value <= limit };
    })));
  console.log('\nBudget (medians):');
  for (const b of budget) console.log(`  ${b.met ? 'met   ' : 'MISSED'}  ${b.what.padEnd(40)} ${b.page.padEnd(9)} ${b.visit.padEnd(7)} ${fixed(b.value, b.unit === 'KB' ? 1 : 2)} ${b.unit}`);
  const missed = budget.filter((b) => !b.met).length;
  console.log(missed ? `${missed} of ${budget.length} figures miss the budget.` : `All ${budget.length} figures meet the budget.`);
  return budget;
}

async function main() {
  const opts = options();
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  const base = await startServer(opts.serverBin, opts.siteRoot);
  for (const page of PAGES) if (page.kind === 'questionnaire') page.path = await questionnairePath(base);
  console.log(`phone: server ${opts.serverBin} on ${base}, ${opts.runs} run(s) of ${PAGES.length} pages`);
  const browser = await chromium.launch(CHROMIUM);
  try {
    await holdWorkerScripts(browser);
    const workerCheck = await checkWorkerThrottling(browser, base);
    console.log(`service worker throttled: ${workerCheck.file} (${fixed(workerCheck.bytes / 1000, 0)} KB) took ${fixed(workerCheck.throttledS, 2)} s (≥ ${fixed(workerCheck.expectedS, 2)} s expected), ${fixed(workerCheck.unthrottledS, 2)} s unthrottled`);
    const runs = [];
    for (let i = 1; i <= opts.runs; i++) {
      const run = {};
      for (const page of PAGES) {
        const { first, repeat } = (run[page.kind] = await measure(browser, base, page));
        console.log(`run ${i} ${page.kind}: first ${fixed(first.kbBefore, 0)} KB, interactive ${fixed(first.interactive, 2)} s; repeat interactive ${fixed(repeat.interactive, 2)} s`);
      }
      runs.push(run);
    }
    const summary = summarise(runs);
    const budget = report(summary, opts.runs);
    const conditions = { ...NETWORK, cpuSlowdown: CPU_SLOWDOWN, viewport: DEVICE.viewport, userAgent: DEVICE.userAgent };
    mkdirSync(dirname(resolve(opts.json)), { recursive: true });
    const json = { date: new Date().toISOString(), server: opts.serverBin, runs: opts.runs, conditions, pages: PAGES, summary, budget, workerCheck };
    writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
    console.log(`wrote ${opts.json}`);
    return opts.enforce && budget.some((b) => !b.met) ? 1 : 0;
  } finally {
    await browser.close();
  }
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(`phone: ${error.message}`);
    process.exit(2);
  },
);
