// This device (/device) and offline data the browser keeps: what is kept and not sent yet,
// removing copies with nothing unsent (never the others), persistent storage granted and
// refused, a store really filled close to the browser's quota (the warning, nothing typed
// lost, nothing unsent evicted), and the choice not to keep group-only ToRs. Hydrated
// projects, except the page's frame without JavaScript.
import { type Page } from '@playwright/test';
import { test, expect, DRAFTER, type People } from './fixtures';

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
function storedDocs(page: Page) {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes(':doc:')).sort());
}

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

/** Fills this site's localStorage until the browser refuses one more character; returns how many filler keys it took. */
function fillStorage(page: Page) {
  return page.evaluate(() => {
    let chunk = 1 << 20;
    let count = 0;
    while (chunk >= 1) {
      try {
        localStorage.setItem(`filler:${count}`, 'x'.repeat(chunk));
        count += 1;
      } catch {
        chunk >>= 1;
      }
    }
    return count;
  });
}

function fillers(page: Page) {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('filler:')).length);
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

test('it lists what is kept and not sent; removing leaves every unsent change', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  const { context, page } = await drafter(people, 'Delegate', docs.unsent);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await keepingDone(page);
  expect(await kept(page, '/device'), 'the page opens offline').toBe(true);

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

test('a store filled to the quota: copies kept for reading make room, nothing typed offline is lost', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
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
  // The copies kept only for reading made room, and the page says so; the warning too
  // (counted within a tick of five seconds).
  await expect(page.locator('.sync-problem').filter({ hasText: 'kept only for reading were removed' })).toBeVisible();
  const note = page.locator('.storage-note');
  await expect(note).toContainText('nearly full', { timeout: 10_000 });
  await expect(note.getByRole('link', { name: 'This device' })).toHaveAttribute('href', '/device');
  // Not the filler, and not the copy with unsent changes: that one is stored, over a reload.
  expect(await fillers(page)).toBe(filled);
  expect(await storedDocs(page)).toContain(own[0]);
  await page.reload();
  await interactive(page);
  await expect(page.locator('#tor-purpose')).toHaveValue(typed, { timeout: 15_000 });

  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await expect(await fieldOnServer(people, docs.full, '#tor-purpose')).toHaveValue(typed);
});

test('a store full with nothing to remove: the change stays in the tab, leaving asks first, and it is sent', async ({ people }, info) => {
  const docs = projectDocs(info.project.name);
  const { context, page } = await drafter(people, 'Sailor', docs.full);
  await keepingDone(page);
  // Only this ToR's own copy is left (its comments' too go), then the store is filled.
  await page.evaluate((doc) => {
    for (const key of Object.keys(localStorage)) if (key.includes(':doc:') && !key.endsWith(`:doc:tor/${doc}`)) localStorage.removeItem(key);
  }, docs.full);
  const filled = await fillStorage(page);

  await context.setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
  const typed = 'Typed at sea.';
  await page.locator('#tor-scope').pressSequentially(typed);
  await expect(page.locator('.sync-problem').filter({ hasText: 'kept in this tab only' })).toBeVisible();
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

test('group-only ToRs are not kept on this device when their member chooses so', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'keeping for offline use needs JavaScript');
  const { context, page } = await people.signedIn('Officer', 'airports-group=editor');
  const group = 'tor/airports-group';
  const storedGroup = async () => (await storedDocs(page)).filter((key) => key.includes(`:doc:${group}`)).length;
  await page.goto('/');
  await interactive(page);
  await keepingDone(page);
  // By default (signed in) it is kept, page and document.
  await expect.poll(storedGroup).toBeGreaterThan(0);
  expect(await kept(page, `/${group}`)).toBe(true);

  await page.goto('/device');
  await interactive(page);
  await expect(page.getByLabel(/^Every terms of reference I may read/)).toBeChecked();
  await page.getByLabel(/^All of them except group-only ones/).check();
  await expect(page.getByRole('status').filter({ hasText: 'Your choice is saved' })).toBeVisible();
  await expect.poll(storedGroup).toBe(0);
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
