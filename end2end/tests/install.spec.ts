// The app installs: its manifest (public/manifest.webmanifest) is valid, names icons of the
// sizes it says (192 and 512 px, one maskable), every page links it, Chromium reports nothing
// against installing it (CDP `Page.getInstallabilityErrors`), and the installed app opens
// offline on its start page, with its manifest and icons (the service worker keeps them,
// public/sw.js). The manifest and page checks run in every project; what needs the service
// worker or the hydrated page runs where JavaScript does.
import { type APIRequestContext, type BrowserContextOptions, type LaunchOptions, type Page } from '@playwright/test';
import { test, expect, DRAFTER, PROGRAMME_PAGES } from './fixtures';

const MANIFEST = '/manifest.webmanifest';
const THEME_COLOR = '#0b4f8a';

interface Icon {
  src: string;
  sizes: string;
  type?: string;
  purpose?: string;
}

interface Manifest {
  id?: string;
  name?: string;
  short_name?: string;
  description?: string;
  start_url?: string;
  scope?: string;
  display?: string;
  theme_color?: string;
  background_color?: string;
  lang?: string;
  icons?: Icon[];
}

async function manifest(request: APIRequestContext): Promise<Manifest> {
  const response = await request.get(MANIFEST);
  expect(response.status(), MANIFEST).toBe(200);
  expect(response.headers()['content-type'], MANIFEST).toMatch(/^application\/manifest\+json/);
  return JSON.parse(await response.text()) as Manifest;
}

/** A PNG's width and height, from its IHDR chunk (the first, right after the signature). */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  expect(bytes.toString('ascii', 12, 16), 'IHDR first').toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

async function interactive(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

/** The first of `paths` the service worker does not keep yet, or 'all kept' (as in offline.spec.ts). */
function firstMissing(page: Page, paths: string[]) {
  return page.evaluate(async (paths) => {
    for (const path of paths) if (!(await caches.match(location.origin + path))) return path;
    return 'all kept';
  }, paths);
}

test('the manifest is valid and its icons are the sizes it says', async ({ request }) => {
  const app = await manifest(request);
  expect(app.name).toBe('Programme Desk');
  expect(app.short_name, 'a short name').toBeTruthy();
  expect(app.short_name!.length, 'a short name a launcher shows whole').toBeLessThanOrEqual(12);
  expect(app.description, 'a description').toBeTruthy();
  expect(app).toMatchObject({ id: '/', start_url: '/', scope: '/', display: 'standalone', theme_color: THEME_COLOR, background_color: '#ffffff', lang: 'en' });

  const icons = app.icons ?? [];
  const purposes = (icon: Icon) => (icon.purpose ?? 'any').split(/\s+/);
  for (const icon of icons) {
    const response = await request.get(icon.src);
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()['content-type'], icon.src).toBe('image/png');
    expect(icon.type, icon.src).toBe('image/png');
    const [width, height] = pngSize(await response.body());
    expect(icon.sizes.split(/\s+/), `${icon.src} is ${width}x${height}`).toContain(`${width}x${height}`);
  }
  // What Chromium asks for (192 and 512 px, for any use), and one a launcher may crop to its shape.
  const any = icons.filter((icon) => purposes(icon).includes('any')).flatMap((icon) => icon.sizes.split(/\s+/));
  expect(any).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.filter((icon) => purposes(icon).includes('maskable')).length, 'a maskable icon').toBeGreaterThan(0);
});

test('every page links the manifest, with the same theme colour', async ({ page }) => {
  // `/tor/airports-group`, signed out: the server's own 404 for a ToR one may not read.
  for (const path of [PROGRAMME_PAGES[0][0], '/matrix', '/sign-in', '/device', '/no-such-page', '/tor/airports-group']) {
    await page.goto(path);
    await expect(page.locator('link[rel="manifest"]'), path).toHaveAttribute('href', MANIFEST);
    await expect(page.locator('meta[name="theme-color"]'), path).toHaveAttribute('content', THEME_COLOR);
    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect(touchIcon, `${path}: an apple-touch-icon`).toBeTruthy();
    expect((await page.request.get(touchIcon!)).headers()['content-type'], touchIcon!).toBe('image/png');
  }
});

test('Chromium finds the app installable', async ({ playwright, browserName, headless, baseURL, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'the page waited for is the hydrated one, with its service worker');
  test.skip(browserName !== 'chromium', 'Page.getInstallabilityErrors is Chromium’s (CDP)');
  // Not a context of the `people` fixture: those (every browser.newContext) are incognito, which
  // Chromium reports as `in-incognito` whatever the app. A persistent context, on a profile of
  // its own in a temporary folder, is an ordinary window: there the list must be empty.
  const { launchOptions, ...contextOptions } = info.project.use as BrowserContextOptions & { launchOptions?: LaunchOptions };
  const context = await playwright.chromium.launchPersistentContext('', { ...launchOptions, headless, ...contextOptions, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await interactive(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await context.newCDPSession(page);
    const { errors, url } = await cdp.send('Page.getAppManifest');
    expect(url).toBe(new URL(MANIFEST, baseURL).href);
    expect(errors, JSON.stringify(errors)).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors, JSON.stringify(installabilityErrors)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the installed app opens offline on its start page, with its manifest and icons', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the service worker needs JavaScript');
  test.setTimeout(60_000);
  const { context, page } = await people.signedIn('Installer', DRAFTER);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const app = await manifest(context.request);
  const start = app.start_url ?? '/';
  const files = [MANIFEST, ...(app.icons ?? []).map((icon) => icon.src)];
  await page.goto(start);
  await interactive(page);
  // The manifest and icons are kept when the worker installs; `/__kept` is written once every
  // page and the files they load are kept.
  await expect.poll(() => firstMissing(page, [...files, start, '/__kept']), { timeout: 30_000 }).toBe('all kept');

  await context.setOffline(true);
  // Launched from the home screen: a new window on the start URL.
  const launched = await context.newPage();
  launched.on('pageerror', (err) => errors.push(err.message));
  await launched.goto(start);
  await interactive(launched);
  await expect(launched.getByRole('heading', { level: 1 })).toHaveText(PROGRAMME_PAGES[0][1]);
  await expect(launched.locator('.sync-status')).toHaveClass(/offline/);
  const offline = await launched.evaluate(async (files) => {
    const answers: [string, number, string][] = [];
    for (const file of files) {
      const response = await fetch(file).catch(() => null);
      answers.push([file, response?.status ?? 0, response?.headers.get('content-type') ?? '']);
    }
    return answers;
  }, files);
  for (const [file, status, type] of offline) {
    expect(status, `${file} offline`).toBe(200);
    expect(type, `${file} offline`).toMatch(file === MANIFEST ? /^application\/manifest\+json/ : /^image\/png/);
  }

  await context.setOffline(false);
  expect(errors).toEqual([]);
});
