// Every kind of page opens offline once the app has been opened online on this device, pages
// never visited included: the service worker keeps every page the session may open
// (public/sw.js, "keep-pages"). A filter or a search it did not keep opens the page without
// it, saying so; anything else opens the offline page. Hydrated projects only (the service
// worker needs JavaScript).
import { type Page } from '@playwright/test';
import { test, expect, DRAFTER, PROGRAMME_PAGES, storedKeys } from './fixtures';

/** One page of each kind, none of them visited online in the test (the overview last). */
const PAGES: [string, string][] = [
  ...PROGRAMME_PAGES.slice(1),
  ['/search', 'Search'],
  ['/tor/gender-dimension', 'Strengthening the gender specific dimension in drug policy'],
  PROGRAMME_PAGES[0],
];

/** The first of `paths` the service worker does not keep yet, or 'all kept'. */
function firstMissing(page: Page, paths: string[]) {
  return page.evaluate(async (paths) => {
    for (const path of paths) if (!(await caches.match(location.origin + path))) return path;
    return 'all kept';
  }, paths);
}

async function interactive(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

test('every kind of page opens offline, pages never visited too', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the service worker needs JavaScript');
  const { context, page } = await people.signedIn('Traveller', DRAFTER);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/working-methods');
  await interactive(page);
  const paths = PAGES.map(([path]) => path);
  // `/__kept` is written once the pages and their files (the ToR editor's included) are kept.
  await expect.poll(() => firstMissing(page, [...paths, '/__kept']), { timeout: 30_000 }).toBe('all kept');

  await context.setOffline(true);
  for (const [path, title] of PAGES) {
    await page.goto(path);
    await interactive(page);
    await expect(page.getByRole('heading', { level: 1 }), path).toHaveText(title);
    await expect(page.locator('.sync-status'), path).toHaveClass(/offline/);
    await expect(page.locator('p.notice'), `${path}: no notice where the page is what was asked for`).toHaveCount(0);
    // A ToR never opened online can be edited: its editor's own wasm file was kept too.
    if (path.startsWith('/tor/')) {
      await expect(page.locator('textarea[data-section]').first(), path).toBeEditable({ timeout: 15_000 });
      await expect(page.locator('.tor-editor'), path).toHaveAttribute('data-editor', 'ready', { timeout: 15_000 });
    }
  }

  // A filter or a search not kept: the page without it, which says so.
  await page.goto('/matrix?format=expert_group');
  await interactive(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Actions and expected outputs');
  await expect(page.getByRole('status').filter({ hasText: 'this filter was not kept' })).toBeVisible();
  await page.goto('/search?q=stimulants');
  await interactive(page);
  await expect(page.getByRole('status').filter({ hasText: 'searching needs a connection' })).toBeVisible();

  // Anything else the worker does not keep: the offline page, with the sync state.
  await page.goto('/sign-in');
  await interactive(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not on this device');
  await expect(page.locator('.sync-status')).toHaveClass(/offline/);

  await context.setOffline(false);
  expect(errors).toEqual([]);
});

test('a filter and a search made online say nothing about being offline', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the notice is an island');
  for (const path of ['/matrix?format=expert_group&output=training', '/search?q=early+intervention', '/search?q=' + encodeURIComponent('drug policy & café')]) {
    await page.goto(path);
    await interactive(page);
    await expect(page.locator('p.notice'), path).toHaveCount(0);
  }
});

test('when the browser says the person saves data, nothing is kept in the background', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the service worker needs JavaScript');
  const { page } = await people.signedIn('Saver', DRAFTER);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDataSaverOverride' as never, { dataSaverEnabled: true } as never);
  await page.goto('/working-methods');
  await interactive(page);
  expect(await page.evaluate(() => (navigator as unknown as { connection?: { saveData?: boolean } }).connection?.saveData)).toBe(true);
  // A second page load, now under the service worker: it keeps what was opened, nothing else.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto('/about');
  await interactive(page);
  await expect.poll(() => firstMissing(page, ['/about'])).toBe('all kept');
  await page.waitForTimeout(3_000);
  expect(await firstMissing(page, ['/matrix']), 'a page never opened is not fetched').toBe('/matrix');
  const replicas = (await storedKeys(page)).filter((key) => key.includes(':doc:tor/'));
  expect(replicas, 'no ToR replica is kept in the background').toEqual([]);
});
