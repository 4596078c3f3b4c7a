// The specs' `test` and `expect`, and the people in them: accounts made with the server's admin
// CLI against the test server's data dir (the server runs the strict access rule), and the
// `people` fixture, which opens browser contexts on demand (signed in through the API, so that
// their pages share the session cookie, or signed out) and closes them all after the test,
// passed or failed.
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export { expect };

const dataDir = process.env.E2E_DATA_DIR ?? '/tmp/programme-desk-e2e';
// The same binary as the test server's (playwright.config.ts), relative to end2end/.
const serverBinary = path.resolve(__dirname, '..', process.env.E2E_SERVER_BIN ?? '../target/release/server');
export const PASSWORD = 'a long enough password';

/** Runs `server --data-dir … <args>` (admin and token commands); returns what it printed. */
export function cli(...args: string[]): string {
  return execFileSync(serverBinary, ['--data-dir', dataDir, '--log-level', 'warn', ...args], {
    env: { ...process.env, PD_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
}

export function admin(...args: string[]) {
  cli('admin', ...args);
}

let made = 0;

/** A new account called `name` with roles given as GROUP=ROLE; returns its (unique) email. */
export function account(name: string, ...roles: string[]): string {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${process.pid}-${Date.now()}-${made++}@e2e.test`;
  admin('account', '--email', email, '--name', name, ...roles.flatMap((role) => ['--role', role]));
  return email;
}

export async function signIn(context: BrowserContext, email: string) {
  const response = await context.request.post('/api/v1/session', { data: { email, password: PASSWORD } });
  expect(response.status(), email).toBe(200);
}

/**
 * Opens the header's menu where it is a button (phones: a `<details>`, so it opens without
 * JavaScript too); on wider screens its links are in the bar already.
 */
export async function openMenu(page: Page) {
  const button = page.locator('.site-menu > summary');
  if ((await button.isVisible()) && (await page.locator('.site-menu[open]').count()) === 0) await button.click();
}

/** One page of each kind the programme has, with its heading: [path, h1]. */
export const PROGRAMME_PAGES: [string, string][] = [
  ['/', 'Pompidou Group Work Programme 2019–2022'],
  ['/about', 'About the programme'],
  ['/priorities/good-governance', 'Good governance'],
  ['/actions/human-rights-practices-repository', 'Repository of applied human rights practices'],
  ['/matrix', 'Actions and expected outputs'],
  ['/permanent-activities', 'Permanent activities'],
  ['/working-methods', 'Working methods'],
];

/** Drafters in these tests are Secretariat editors, who may edit every ToR. */
export const DRAFTER = 'secretariat=editor';

/** Browser contexts of their own, with the project's device and JavaScript setting. */
export interface People {
  /** A new account `name` with these roles (GROUP=ROLE), signed in, with a page open. */
  signedIn(name: string, ...roles: string[]): Promise<{ context: BrowserContext; page: Page; email: string }>;
  /** Someone signed out, with a page open. */
  signedOut(): Promise<{ context: BrowserContext; page: Page }>;
  /** A bare context (signed out, no page), `options` overriding the project's settings. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
}

export const test = base.extend<{ people: People }>({
  people: async ({ browser, baseURL }, use, info) => {
    const opened: BrowserContext[] = [];
    const context = async (options: BrowserContextOptions = {}) => {
      const made = await browser.newContext({ ...(info.project.use as BrowserContextOptions), baseURL, ...options });
      opened.push(made);
      return made;
    };
    await use({
      async signedIn(name, ...roles) {
        const signedIn = await context();
        const email = account(name, ...roles);
        await signIn(signedIn, email);
        return { context: signedIn, page: await signedIn.newPage(), email };
      },
      async signedOut() {
        const signedOut = await context();
        return { context: signedOut, page: await signedOut.newPage() };
      },
      context,
    });
    // Every one, even when an earlier one fails to close (closing one closed already is a no-op).
    const closing = await Promise.allSettled(opened.map((c) => c.close()));
    const failed = closing.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  },
});

/**
 * What a page does from now on, for tests of the split-off wasm files: the paths of the wasm
 * files it requests (in order, each time) and the errors it throws, except the one a refused
 * split file leaves: the loader cargo-leptos writes (`pkg/__wasm_split.*.js`) starts fetching a
 * split file before it awaits the chunk it shares with the other split file, so a fetch that
 * fails meanwhile is an unhandled rejection ("Failed to fetch") for a moment, although the
 * load then fails as it should (the page says so and offers "Try again").
 */
export function watchLoads(page: Page): { wasm: string[]; errors: string[] } {
  const seen = { wasm: [] as string[], errors: [] as string[] };
  page.on('pageerror', (err) => err.message === 'Failed to fetch' || seen.errors.push(err.message));
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) seen.wasm.push(new URL(request.url()).pathname);
  });
  return seen;
}

/**
 * The keys of the documents this browser keeps (IndexedDB `programme-desk`, store `meta`:
 * `pd:<account>:doc:<doc id>`, signed out `pd:doc:<doc id>`), sorted; [] before the app
 * created the database (which this never does itself).
 */
export function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('programme-desk');
        // Not there yet: abort rather than create it without its stores.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('meta')) {
            db.close();
            resolve([]);
            return;
          }
          const keys = db.transaction('meta').objectStore('meta').getAllKeys();
          keys.onsuccess = () => {
            db.close();
            resolve((keys.result as string[]).sort());
          };
          keys.onerror = () => {
            db.close();
            reject(keys.error);
          };
        };
      }),
  );
}

/** Nothing is wider than the screen (a phone's 390 px included), then axe's audit where it runs
 * (axe is a script in the page: not with JavaScript off, where the DOM is the same
 * server-rendered one). */
export async function audit(page: Page, javaScriptEnabled: boolean) {
  const [scroll, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(viewport);
  if (!javaScriptEnabled) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
