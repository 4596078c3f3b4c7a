// This device (/device) and offline data the browser keeps: what is kept and not sent yet,
// removing copies with nothing unsent (never the others), persistent storage granted and
// refused, a store really filled to the browser's quota (the warning, nothing typed lost,
// nothing unsent evicted, stored once there is room), copies an earlier version kept in localStorage moved into
// IndexedDB with their unsent changes, and the choice not to keep group-only ToRs. Hydrated
// projects, except the page's frame without JavaScript.
import { type Page } from '@playwright/test';
import { test, expect, DRAFTER, storedKeys, watchLoads, type People } from './fixtures';

/** Each project works on its own documents, so runs never see each other's text. */
const DOCS: Record<string, { unsent: string; full: string }> = {
  desktop: { unsent: 'sustainable-development-goals', full: 'mitigating-consequences' },
  phone: { unsent: 'controlled-substances-access', full: 'human-rights-law-enforcement' },
  'phone-390': { unsent: 'unaccompanied-minors-refugees', full: 'online-self-help-tools' },
};

function projectDocs(name: string) {
  const docs = DOCS[name];
  test.skip(!docs, 'hydrated projects only');
  return docs!;
}

async function interactive(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

/** The keys of this browser's local copies of documents. */
const storedDocs = storedKeys;

/** Whether the service worker has a kept answer for `path`. */
function kept(page: Page, path: string) {
  return page.evaluate(async (path) => Boolean(await caches.match(location.origin + path)), path);
}

/** Until the background keeping has kept every page (it writes `/__kept` last). */
async function keepingDone(page: Page) {
  await expect.poll(() => kept(page, '/__kept'), { timeout: 30_000 }).toBe(true);
}

/** Someone drafting on a ToR, the page ready to type in. */
async function drafter(people: People, name: string, doc: string) {
  const person = await people.signedIn(name, DRAFTER);
  await person.page.goto(`/tor/${doc}`);
  await interactive(person.page);
  await expect(person.page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  await expect(person.page.locator('#tor-purpose')).toBeEditable({ timeout: 15_000 });
  return person;
}

/** A ToR's field (`#tor-purpose`, …) as another person reads it, from the server. */
async function fieldOnServer(people: People, doc: string, field: string) {
  const { page } = await people.signedIn('Reader', DRAFTER);
  await page.goto(`/tor/${doc}`);
  await interactive(page);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  return page.locator(field);
}

/**
 * Fills this site's storage with IndexedDB records of random bytes (a database of the test's
 * own, `filler`) until the browser refuses even 1 KB more; returns how many records it took.
 * Really full: Chromium's `Storage.overrideQuotaForOrigin` does not reach the tests' (incognito)
 * contexts, so this writes what the browser really allows (about 1.4 GB, held in memory in an
 * incognito context, some 20 s).
 */
function fillStorage(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('filler', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('x');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    let chunk = 1 << 18;
    let count = 0;
    // Down to 64 bytes: less room left than the smallest write the app makes.
    while (chunk >= 64) {
      const data = new Uint8Array(chunk);
      for (let at = 0; at < chunk; at += 65536) crypto.getRandomValues(data.subarray(at, Math.min(chunk, at + 65536)));
      const stored = await new Promise<boolean>((resolve) => {
        const tx = db.transaction('x', 'readwrite');
        tx.objectStore('x').put(data, count);
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
      if (stored) count += 1;
      else chunk >>= 1;
    }
    db.close();
    return count;
  });
}

/** Deletes the test's `filler` database: room on the device again. */
function emptyFiller(page: Page) {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase('filler');
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
      }),
  );
}

function fillers(page: Page) {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('filler', 1);
        open.onsuccess = () => {
          const count = open.result.transaction('x').objectStore('x').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

/** Deletes, behind the app's back, every stored copy but those whose key ends with `keep`. */
function deleteCopiesBut(page: Page, keep: string) {
  return page.evaluate(
    (keep) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('programme-desk');
        open.onsuccess = () => {
          const tx = open.result.transaction(['meta', 'state'], 'readwrite');
          for (const name of ['meta', 'state']) {
            const store = tx.objectStore(name);
            const keys = store.getAllKeys();
            keys.onsuccess = () => {
              for (const key of keys.result as string[]) if (!key.endsWith(keep)) store.delete(key);
            };
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onabort = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    keep,
  );
}

test('without JavaScript the page says it needs it, and only that', async ({ page, javaScriptEnabled }) => {
  await page.goto('/device');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This device');
  const note = page.getByText('This page reads what this browser keeps, which takes JavaScript.');
  if (javaScriptEnabled) {
    await interactive(page);
    await expect(note).toBeHidden();
    await expect(page.locator('.device-summary')).toBeVisible();
  } else {
    await expect(note).toBeVisible();
    await expect(page.locator('.device-report')).toBeHidden();
  }
});

test('the report loads from its own file, which no other page asks for; a failed load says so and can be retried', async ({ people }, info) => {
  projectDocs(info.project.name);
  // No service worker: every request of the page reaches the network (and the route below).
  const context = await people.context({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const { wasm, errors } = watchLoads(page);
  const reportFile = /\/pkg\/split_device_report[^/]*\.wasm$/;
  await page.goto('/matrix');
  await interactive(page);
  expect(wasm.length, 'the main bundle').toBeGreaterThan(0);
  expect(wasm.filter((path) => reportFile.test(path)), 'another page never asks for the report').toEqual([]);

  let refuse = true;
  await page.route(reportFile, (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/device');
  await interactive(page);
  const status = page.locator('.device-load');
  await expect(status).toContainText('What this device keeps cannot be shown', { timeout: 15_000 });
  await expect(page.getByText('Reading what this device keeps…'), 'no promise the page cannot keep').toBeHidden();
  await expect(page.locator('.device-summary')).toHaveCount(0);

  refuse = false;
  await status.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('.device-summary')).toBeVisible({ timeout: 15_000 });
  await expect(status).toHaveText('');
  expect(wasm.filter((path) => reportFile.test(path)).length, 'refused once, then loaded').toBe(2);
  expect(errors).toEqual([]);
});

test('it lists what is kept and not sent; removing leaves every unsent change', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  const { context, page } = await drafter(people, 'Delegate', docs.unsent);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await keepingDone(page);
  expect(await kept(page, '/device'), 'the page opens offline').toBe(true);
  // The background keeping pre-fills ToRs' outputs: those changes are sent before going offline.
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });

  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  await page.locator('#tor-purpose').pressSequentially('Typed on the train.');
  await expect(page.locator('.sync-status')).toContainText('not yet synced');

  await page.goto('/device');
  await interactive(page);
  const unsent = page.locator(`tr[data-doc="tor/${docs.unsent}"]`);
  await expect(unsent).toContainText('Stays until sent');
  await expect(unsent.getByRole('button')).toHaveCount(0);
  await expect(page.locator('.device-summary')).toContainText('not on the server yet');
  const before = await page.locator('tr[data-doc]').count();
  expect(before, 'the background keeping kept other ToRs').toBeGreaterThan(2);
  await expect(page.getByRole('button', { name: /^Remove the copy of / })).toHaveCount(before - 1);

  await page.getByRole('button', { name: 'Remove every copy with nothing unsent' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${before - 1} copies were removed` })).toBeVisible();
  await expect(page.locator('tr[data-doc]')).toHaveCount(1);
  expect((await storedDocs(page)).map((key) => key.replace(/^pd:\d+:doc:/, ''))).toEqual([`tor/${docs.unsent}`]);

  // Offline, a ToR whose copy was removed shows the kept page's text, read-only, and says
  // why (an empty replica in its place would look like a blank document).
  const other = 'human-rights-practices-repository';
  await page.goto(`/tor/${other}`);
  await interactive(page);
  await expect(page.locator('.not-kept')).toBeVisible({ timeout: 15_000 });
  const outputs = page.locator('#tor-outputs');
  await expect(outputs).not.toHaveValue('');
  await expect(outputs).not.toBeEditable();

  // Back online on this device's page: it follows the sync, without a reload.
  await page.goto('/device');
  await interactive(page);
  await expect(page.locator('.device-summary')).toContainText('not on the server yet');
  await context.setOffline(false);
  await expect(page.locator('.device-summary')).toContainText('every change made here is on the server', { timeout: 15_000 });
  await expect(await fieldOnServer(people, docs.unsent, '#tor-purpose')).toHaveValue('Typed on the train.');

  // And the removed ToR is known again, editable, and says nothing more.
  await page.goto(`/tor/${other}`);
  await interactive(page);
  await expect(outputs).toBeEditable({ timeout: 15_000 });
  await expect(page.locator('.not-kept')).toHaveCount(0);
  expect(errors).toEqual([]);
});

for (const [setting, shown, word] of [
  ['granted', 'Protected:', 'granted'],
  ['denied', 'Not protected:', 'not-granted'],
] as const) {
  test(`persistent storage ${setting} by the browser is shown`, async ({ people, baseURL, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, 'the browser is asked from the page');
    const { context, page } = await people.signedIn('Delegate', DRAFTER);
    // The permission behind navigator.storage.persist(), set through the DevTools protocol
    // for this (incognito) context only.
    const target = await (await context.newCDPSession(page)).send('Target.getTargetInfo');
    const browserCdp = await context.browser()!.newBrowserCDPSession();
    await browserCdp.send('Browser.setPermission', {
      permission: { name: 'persistent-storage' },
      setting,
      origin: new URL(baseURL!).origin,
      browserContextId: target.targetInfo.browserContextId,
    });
    await page.goto('/device');
    await interactive(page);
    const line = page.locator('.device-persistence');
    await expect(line).toHaveAttribute('data-persistence', word, { timeout: 10_000 });
    await expect(line).toContainText(shown);
    await expect(page.getByRole('button', { name: 'Ask the browser again' })).toHaveCount(setting === 'denied' ? 1 : 0);
    expect(await page.evaluate(() => navigator.storage.persisted())).toBe(setting === 'granted');
  });
}

test('a store filled to the quota: copies kept for reading go, nothing typed offline is lost, and it is stored once there is room', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  test.setTimeout(120_000);
  const { context, page } = await drafter(people, 'Traveller', docs.full);
  await keepingDone(page);
  const own = (await storedDocs(page)).filter((key) => key.endsWith(`:doc:tor/${docs.full}`));
  expect(own.length).toBe(1);
  expect((await storedDocs(page)).length).toBeGreaterThan(2);

  // Really filled: the browser refuses more (no faked estimate).
  const filled = await fillStorage(page);
  expect(filled).toBeGreaterThan(3);

  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  const typed = 'Typed with a full phone.';
  await page.locator('#tor-purpose').pressSequentially(typed);
  await expect(page.locator('.sync-status')).toContainText('not yet synced');
  // The copies kept only for reading are removed to make room, and the page says so (Chromium
  // gives their room back only once it compacts, so the change stays in the tab meanwhile);
  // the warning too (measured within a tick of five seconds).
  const problem = page.locator('.sync-problem').filter({ hasText: 'kept only for reading were removed' });
  await expect(problem).toBeVisible({ timeout: 10_000 });
  await expect(problem).toContainText('kept in this tab only');
  const note = page.locator('.storage-note');
  await expect(note).toContainText('nearly full', { timeout: 10_000 });
  await expect(note.getByRole('link', { name: 'This device' })).toHaveAttribute('href', '/device');
  // Not the filler, and not the copy with unsent changes.
  expect(await fillers(page)).toBe(filled);
  expect(await storedDocs(page)).toEqual(own);

  // Room again on the device: within a tick the change is stored, over an offline reload.
  await emptyFiller(page);
  await expect(problem).toHaveCount(0, { timeout: 10_000 });
  await page.reload();
  await interactive(page);
  await expect(page.locator('#tor-purpose')).toHaveValue(typed, { timeout: 15_000 });

  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, docs.full, '#tor-purpose')).toHaveValue(typed);
});

test('a store full with nothing to remove: the change stays in the tab, leaving asks first, and it is sent', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  test.setTimeout(120_000);
  const { context, page } = await drafter(people, 'Sailor', docs.full);
  await keepingDone(page);
  // The background keeping's pre-fills are sent first: a copy with unsent ones is not removed.
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  // Nothing kept for reading: the person keeps only what they open and removes the rest;
  // the one copy this page keeps for reading (its comments) is then deleted behind the app's
  // back, so removing it frees nothing (whether Chromium gives room back at once depends on
  // its files: not a thing to test); then the store is filled.
  await page.goto('/device');
  await interactive(page);
  await page.getByLabel('Only what I open on this device').check();
  await expect(page.getByRole('status').filter({ hasText: 'Your choice is saved' })).toBeVisible({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Remove every copy with nothing unsent' }).click();
  await expect(page.locator('tr[data-doc]')).toHaveCount(0);
  await page.goto(`/tor/${docs.full}`);
  await interactive(page);
  await expect(page.locator('#tor-scope')).toBeEditable({ timeout: 15_000 });
  const own = `:doc:tor/${docs.full}`;
  await expect.poll(async () => (await storedDocs(page)).length, { message: 'the ToR and its comments' }).toBe(2);
  await deleteCopiesBut(page, own);
  expect((await storedDocs(page)).map((key) => key.replace(/^pd:\d+/, ''))).toEqual([own]);

  // Offline first, then filled: nothing the service worker fetches (a page kept again, smaller)
  // can give room back between the filling and the typing.
  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  const filled = await fillStorage(page);
  const typed = 'Typed at sea.';
  await page.locator('#tor-scope').pressSequentially(typed);
  await expect(page.locator('.sync-problem').filter({ hasText: 'kept in this tab only' })).toBeVisible({ timeout: 10_000 });
  expect(await fillers(page)).toBe(filled);

  // Closing the tab now would lose it: the browser asks first (the page stays when refused).
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);

  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, docs.full, '#tor-scope')).toHaveValue(typed);
});

test('copies an earlier version kept in localStorage move into IndexedDB, unsent changes and all, and are sent', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  const { context, page } = await drafter(people, 'Returning', docs.unsent);
  await keepingDone(page);
  const suffix = `:doc:tor/${docs.unsent}`;
  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  const typed = 'Typed before the update.';
  await page.locator('#tor-scope').pressSequentially(typed);
  await expect(page.locator('.sync-status')).toContainText('not yet synced');

  // The browser as the earlier version left it: this copy in localStorage (its key, and JSON
  // with the state in base64 and the counts, as that version wrote it), IndexedDB empty.
  const key = await page.evaluate(
    async ({ suffix, changes }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('programme-desk');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const read = <T>(store: string, query: IDBValidKey | null, all = false) =>
        new Promise<T>((resolve, reject) => {
          const s = db.transaction(store).objectStore(store);
          const request = all ? s.getAllKeys() : s.get(query!);
          request.onsuccess = () => resolve(request.result as T);
          request.onerror = () => reject(request.error);
        });
      const key = (await read<string[]>('meta', null, true)).find((k) => k.endsWith(suffix))!;
      // Every keystroke written behind.
      let meta = { made: 0, confirmed: 0 };
      for (let tries = 0; tries < 50 && meta.made - meta.confirmed < changes; tries++) {
        meta = JSON.parse(await read<string>('meta', key));
        await new Promise((r) => setTimeout(r, 100));
      }
      const state = await read<Uint8Array>('state', key);
      let binary = '';
      for (const byte of state) binary += String.fromCharCode(byte);
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['meta', 'state'], 'readwrite');
        tx.objectStore('meta').clear();
        tx.objectStore('state').clear();
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
      });
      db.close();
      localStorage.setItem(key, JSON.stringify({ state: btoa(binary), made: meta.made, confirmed: meta.confirmed }));
      return key;
    },
    { suffix, changes: typed.length },
  );
  expect(await storedDocs(page)).not.toContain(key);

  // The new version starts offline: the copy moves, its text and its count of changes not
  // sent with it, and it leaves localStorage.
  await page.reload();
  await interactive(page);
  await expect(page.locator('#tor-scope')).toHaveValue(typed, { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toContainText('not yet synced');
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), key)).toBeNull();
  expect(await storedDocs(page)).toContain(key);

  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, docs.unsent, '#tor-scope')).toHaveValue(typed);
});

test('group-only ToRs are not kept on this device when their member chooses so', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'keeping for offline use needs JavaScript');
  const { context, page } = await people.signedIn('Officer', 'airports-group=editor');
  const group = 'tor/airports-group';
  const storedGroup = async () => (await storedDocs(page)).filter((key) => key.includes(`:doc:${group}`)).length;
  await page.goto('/');
  await interactive(page);
  await keepingDone(page);
  // The background keeping pre-fills ToRs' outputs: a copy with those not yet on the server
  // stays (nothing unsent is removed), so they are sent first.
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  // By default (signed in) it is kept, page and document.
  await expect.poll(storedGroup).toBeGreaterThan(0);
  expect(await kept(page, `/${group}`)).toBe(true);

  await page.goto('/device');
  await interactive(page);
  await expect(page.getByLabel(/^Every terms of reference I may read/)).toBeChecked();
  await page.getByLabel(/^All of them except group-only ones/).check();
  await expect(page.getByRole('status').filter({ hasText: 'Your choice is saved' })).toBeVisible();
  await expect.poll(storedGroup, { timeout: 10_000 }).toBe(0);
  await expect.poll(() => kept(page, `/${group}`)).toBe(false);
  expect((await storedDocs(page)).length, 'other ToRs stay kept').toBeGreaterThan(2);

  // Remembered. Opened, it is read and edited from the server as usual, and not kept: the
  // copy the editor makes is dropped once the page is interactive, the page is not kept.
  await page.reload();
  await interactive(page);
  await expect(page.getByLabel(/^All of them except group-only ones/)).toBeChecked();
  await page.goto(`/${group}`);
  await interactive(page);
  await expect(page.locator('#tor-purpose')).toBeEditable({ timeout: 15_000 });
  await expect.poll(storedGroup).toBe(0);
  await page.goto('/about');
  await interactive(page);
  expect(await kept(page, `/${group}`), 'opened, it was not kept by the worker').toBe(false);
  expect(await storedGroup()).toBe(0);

  await context.setOffline(true);
  await page.goto(`/${group}`);
  await interactive(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not on this device');
  await context.setOffline(false);
});

/** Nobody else's test types in this ToR; each project's text names the project. */
const SHARED_DOC = 'target-groups';

test('the header warns before the store is full, as the browser reports its use', async ({ people }, info) => {
  projectDocs(info.project.name);
  // Chromium reports a quota far above where it refuses writes (here about 10 GB reported,
  // refusals from 1.1 GB), so the warning before a refusal cannot be reached for real in this
  // browser: the page's real use is reported against a quota the test sets (half full, then
  // 85 %), which is what a browser whose estimate is right would say.
  const { context, page } = await people.signedIn('Forewarned', DRAFTER);
  await context.addInitScript(() => {
    const real = navigator.storage.estimate.bind(navigator.storage);
    navigator.storage.estimate = async () => {
      const estimate = await real();
      const share = Number(sessionStorage.getItem('reported-share') ?? '0.5');
      return { ...estimate, quota: Math.max(1, Math.floor((estimate.usage ?? 0) / share)) };
    };
  });
  await page.goto(`/tor/${SHARED_DOC}`);
  await interactive(page);
  const field = page.locator('#tor-purpose');
  await expect(field).toBeEditable({ timeout: 15_000 });
  const note = page.locator('.storage-note');

  await field.press('End');
  await field.pressSequentially(` Half full (${info.project.name}).`);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  // Measured at most once a tick (five seconds) after a save: two ticks, and no warning.
  await page.waitForTimeout(11_000);
  await expect(note).toHaveCount(0);

  await page.evaluate(() => sessionStorage.setItem('reported-share', '0.85'));
  await field.pressSequentially(` Nearly full (${info.project.name}).`);
  await expect(note).toContainText('nearly full', { timeout: 12_000 });
  await expect(note).toContainText('(85%)');
  await expect(note.getByRole('link', { name: 'This device' })).toHaveAttribute('href', '/device');
  // Nothing was refused: nothing else is said about the store.
  await expect(page.locator('.sync-problem:not(.storage-note)')).toHaveCount(0);

  await page.goto('/device');
  await interactive(page);
  await expect(page.locator('#device-use')).toHaveAttribute('value', /^85\d$/, { timeout: 10_000 });
});

test('a browser that never opens its storage: after a while the page works without it, and says so', async ({ people }, info) => {
  projectDocs(info.project.name);
  const { context, page } = await people.signedIn('Unstored', DRAFTER);
  // A real hang, as WebKit has had: a version change of the app's database that never ends (its
  // transaction kept busy), so the app's own open waits behind it for ever.
  await context.addInitScript(() => {
    const open = indexedDB.open('programme-desk', 99);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('held');
      const spin = () => {
        store.count().onsuccess = spin;
      };
      spin();
    };
  });
  await page.goto(`/tor/${SHARED_DOC}`);
  await interactive(page);
  const field = page.locator('#tor-purpose');
  await expect(field).toBeEditable({ timeout: 20_000 });
  await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  const typed = ` Typed with no store (${info.project.name}).`;
  await field.press('End');
  await field.pressSequentially(typed);
  await expect(page.locator('.sync-problem')).toContainText('did not open its storage', { timeout: 10_000 });
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, SHARED_DOC, '#tor-purpose')).toHaveValue(new RegExp(typed.replace(/[()]/g, '\\$&')));
});

test('what was typed just before leaving is kept when the page goes before the store has written it', async ({ people }, info) => {
  projectDocs(info.project.name);
  const { context, page } = await drafter(people, 'Hasty', SHARED_DOC);
  await keepingDone(page);
  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  // The store kept busy: a read-write transaction of this page's own on the app's database that
  // never ends, so the app's writes queue behind it and never happen before the page goes.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('programme-desk');
        open.onsuccess = () => {
          const store = open.result.transaction(['meta', 'state'], 'readwrite').objectStore('state');
          const spin = () => {
            store.count().onsuccess = spin;
          };
          spin();
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
  );
  const field = page.locator('#tor-scope');
  const typed = ` Typed just before leaving (${info.project.name}).`;
  await field.press('End');
  await field.pressSequentially(typed);
  await expect(page.locator('.sync-status')).toContainText('not yet synced');

  // Leaving at once (offline: the kept page); the next page merges what the last one journaled.
  await page.reload();
  await interactive(page);
  // Contains, not ends with: the other projects type in this ToR too, and merge.
  await expect(field).toHaveValue(new RegExp(typed.replace(/[()]/g, '\\$&')), { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toContainText('not yet synced');
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((key) => /:doc:/.test(key)).length)).toBe(0);

  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, SHARED_DOC, '#tor-scope')).toHaveValue(new RegExp(typed.replace(/[()]/g, '\\$&')));
});

// Two tabs typing offline in one field: known faults, found by a review and not all fixed
// (issue 14 stays open for them). Fixed earlier: a tab that merged another tab's stored words
// shows them at once (`SyncEngine::take_stored`). Fixed since: the server took the second tab's
// repeat of its own words, which the first tab had passed on, for a clash (another connection
// owning that client id) and kept asking it to resync; tabs of one browser session now count
// as one writer (server/src/sync/owners.rs; server/tests/sync_faults.rs). What still fails
// (measured on this build: 3 of 12 runs on desktop and phone, 2 of 18 after the server fix, all
// on the same step): the first tab does not show the second tab's words, because a tab takes
// in another tab's stored copy only when it writes its own. Tried and not kept: telling the
// other tabs of every write (a BroadcastChannel) and taking the copy in at once; the extra
// merges arriving while a tab typed put the typed words in the wrong place in runs with a
// repeated phrase (the diff that turns a field's change into an edit is ambiguous there).
test.fixme('two tabs typing in one field offline: each keeps the other\'s words, in order, and both end synced', async ({ people }, info) => {
  const doc = projectDocs(info.project.name).full;
  const { context, page: first } = await people.signedIn('Twofold', DRAFTER);
  const second = await context.newPage();
  for (const page of [first, second]) {
    await page.goto(`/tor/${doc}`);
    await interactive(page);
    await expect(page.locator('.tor-editor')).toHaveAttribute('data-editor', 'ready', { timeout: 15_000 });
  }
  await context.setOffline(true);
  const theirs = ` Second tab (${info.project.name}).`;
  const mine = ` First tab (${info.project.name}).`;
  await second.locator('#tor-timespan').press('End');
  await second.locator('#tor-timespan').pressSequentially(theirs);
  await second.waitForTimeout(1_000);
  await first.locator('#tor-timespan').press('End');
  await first.locator('#tor-timespan').pressSequentially(mine);
  await expect(first.locator('#tor-timespan')).toHaveValue(new RegExp(theirs.replace(/[()]/g, '\\$&')));
  await expect(first.locator('#tor-timespan')).toHaveValue(new RegExp(mine.replace(/[()]/g, '\\$&')));
  await context.setOffline(false);
  for (const page of [first, second]) await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
});
