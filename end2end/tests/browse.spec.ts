// The newcomer's flow: overview → matrix → filter by "Expert group" → an action. Runs in every
// project (desktop/phone, with and without JavaScript).
import { type Page, type ConsoleMessage } from '@playwright/test';
import { test, expect, account, openMenu, PROGRAMME_PAGES, signIn } from './fixtures';

/** Collects console errors and uncaught page errors from the moment it is called. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** With JavaScript on, waits for the wasm to hydrate the page (App sets data-hydrated). */
async function settled(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  }
}

test('overview → matrix → filter by Expert group → action', async ({ page, javaScriptEnabled }) => {
  const errors = collectErrors(page);

  await page.goto('/');
  await settled(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pompidou Group Work Programme 2019–2022');
  await expect(page.locator('.counts')).toContainText('26');

  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matrix' }).click();
  await expect(page).toHaveURL(/\/matrix$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Actions and expected outputs');
  await expect(page.locator('tr.action')).toHaveCount(26);

  await page.getByLabel('Format').selectOption({ label: 'Expert group' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/[?&]format=expert_group/);
  await expect(page.locator('tr.action')).toHaveCount(10);
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 10 of 26 actions.');

  await page.getByRole('link', { name: 'Challenges and responses related to stimulants', exact: true }).click();
  await expect(page).toHaveURL(/\/actions\/stimulants$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Challenges and responses related to stimulants');
  await expect(page.locator('.facts')).toContainText('Expert group');
  await expect(page.locator('.facts')).toContainText('Expert report');
  await expect(page.getByRole('link', { name: 'New challenges' }).first()).toBeVisible();

  expect(errors, 'console errors').toEqual([]);
});

test('a shared filtered matrix link opens filtered', async ({ page, javaScriptEnabled }) => {
  const errors = collectErrors(page);
  await page.goto('/matrix?format=expert_group&output=training');
  await settled(page, javaScriptEnabled);
  await expect(page.locator('tr.action')).toHaveCount(1);
  await expect(page.getByLabel('Format')).toHaveValue('expert_group');
  await expect(page.getByLabel('Output')).toHaveValue('training');
  expect(errors).toEqual([]);
});

test('the matrix never scrolls sideways', async ({ page, javaScriptEnabled }) => {
  await page.goto('/matrix');
  await settled(page, javaScriptEnabled);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('no page scrolls sideways at any common width', async ({ page }) => {
  await signIn(page.context(), account('Reader'));
  for (const width of [360, 390, 768, 1024, 1025, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/', '/matrix', '/actions/preventing-risks', '/working-methods', '/tor/preventing-risks']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
    }
  }
});

test('search finds an action and shows the query as text', async ({ page, javaScriptEnabled }) => {
  const errors = collectErrors(page);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await page.goto('/');
  await settled(page, javaScriptEnabled);
  await openMenu(page);
  await page.getByRole('searchbox', { name: 'Search the programme' }).fill('early intervention');
  await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=early/);
  await expect(page.getByRole('link', { name: 'Early intervention' })).toBeVisible();

  await page.goto('/search?q=' + encodeURIComponent('<img src=x onerror=alert(1)>'));
  await settled(page, javaScriptEnabled);
  await expect(page.getByText('Nothing found in the programme for “<img src=x onerror=alert(1)>”.')).toBeVisible();
  expect(dialogs).toBe(0);
  expect(errors).toEqual([]);
});

test('unknown routes get the 404 page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
});

test('every kind of page hydrates without console errors', async ({ page, javaScriptEnabled }) => {
  await signIn(page.context(), account('Reader'));
  const errors = collectErrors(page);
  const pages = [
    ...PROGRAMME_PAGES,
    ['/search?q=drug', 'Search'],
    ['/sign-in', 'Sign in'],
    ['/invite/an-invitation-link', 'Accept your invitation'],
    ['/tor/gender-dimension', 'Strengthening the gender specific dimension in drug policy'],
  ];
  for (const [path, title] of pages) {
    await page.goto(path);
    await settled(page, javaScriptEnabled);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  }
  expect(errors).toEqual([]);
});

test('built assets are cached for a year, pages are revalidated', async ({ page, request }) => {
  const response = await page.goto('/');
  expect(response?.headers()['cache-control']).toBe('no-cache');
  const assets = await page.evaluate(() =>
    [...document.querySelectorAll('link[href^="/pkg/"]')].map((l) => l.getAttribute('href') as string),
  );
  expect(assets.length).toBeGreaterThanOrEqual(2);
  for (const href of assets) {
    const asset = await request.get(href);
    expect(asset.status(), href).toBe(200);
    expect(asset.headers()['cache-control'], href).toBe('public, max-age=31536000, immutable');
  }
});

test('on a phone the header is one bar: the sync state stays in it, the rest is behind the menu', async ({ page, javaScriptEnabled }) => {
  await signIn(page.context(), account('Reader'));
  await page.goto('/tor/preventing-risks');
  await settled(page, javaScriptEnabled);
  const viewport = page.viewportSize()!;
  const header = (await page.locator('.site-header').boundingBox())!;
  const menuButton = page.locator('.site-menu > summary');
  const searchbox = page.getByRole('searchbox', { name: 'Search the programme' });
  if (viewport.width > 700) {
    await expect(menuButton, 'wide screens show the menu in the bar').toBeHidden();
    await expect(searchbox).toBeVisible();
    return;
  }
  expect(header.height, 'one compact bar').toBeLessThanOrEqual(100);
  await expect(page.locator('.sync')).toBeVisible();
  // The ToR's first field starts on the first screen.
  const field = (await page.locator('textarea[data-section]').first().boundingBox())!;
  expect(field.y, 'the first field on the first screen').toBeLessThan(viewport.height - 40);
  // The menu opens (a <details>: with or without JavaScript) over the page, and closes.
  await expect(searchbox).toBeHidden();
  await menuButton.click();
  await expect(searchbox).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matrix' })).toBeVisible();
  await expect(page.locator('.session-links').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await menuButton.click();
  await expect(searchbox).toBeHidden();
  if (javaScriptEnabled) {
    // With JavaScript, Escape closes it and gives the focus back to its button, and it closes
    // when the focus leaves it, so it never covers the field the focus went to.
    await menuButton.click();
    await expect(searchbox).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(searchbox).toBeHidden();
    await expect(menuButton).toBeFocused();
    await menuButton.click();
    await expect(searchbox).toBeVisible();
    await page.locator('textarea[data-section]').first().focus();
    await expect(searchbox).toBeHidden();
  }
});
