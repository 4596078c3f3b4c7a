// Group material: the Airports Group's ToR is there for a member of the group and absent for
// another signed-in account and for the signed-out, on pages, links and the sync socket.
// Accounts are made with the server's admin CLI against the test server's data dir.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const dataDir = process.env.E2E_DATA_DIR ?? '/tmp/programme-desk-e2e';
const PASSWORD = 'a long enough password';
const DOC = 'airports-group';

function admin(...args: string[]) {
  execFileSync(path.join(__dirname, '../../target/release/server'), ['--data-dir', dataDir, '--log-level', 'warn', 'admin', ...args], {
    env: { ...process.env, PD_PASSWORD: PASSWORD },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function signedIn(browser: Browser, baseURL: string, use: Record<string, unknown>, email: string) {
  const context = await browser.newContext({ ...use, baseURL });
  const response = await context.request.post('/api/v1/session', { data: { email, password: PASSWORD } });
  expect(response.status(), email).toBe(200);
  return { context, page: await context.newPage() };
}

/** Asks the sync socket for a document from this page (with its session): the type of the
 * answer's message, 0 for sync (the document's state), 102 for a refusal. */
async function syncAnswer(page: Page, doc: string): Promise<number> {
  return page.evaluate(async (id) => {
    const name = new TextEncoder().encode(id);
    // varString(doc id), then sync step 1 with an empty state vector.
    const frame = new Uint8Array([name.length, ...name, 0, 0, 1, 0]);
    const socket = new WebSocket(`ws://${location.host}/sync`);
    socket.binaryType = 'arraybuffer';
    return new Promise<number>((resolve, reject) => {
      socket.onopen = () => socket.send(frame);
      socket.onmessage = (event) => {
        resolve(new Uint8Array(event.data as ArrayBuffer)[name.length + 1]);
        socket.close();
      };
      socket.onerror = () => reject(new Error('socket error'));
    });
  }, `tor/${doc}`);
}

test('the Airports Group ToR reaches its member and no one else', async ({ browser, baseURL, javaScriptEnabled }, info) => {
  const run = `${Date.now()}-${info.project.name}`;
  const officer = `officer-${run}@e2e.test`;
  const other = `other-${run}@e2e.test`;
  admin('account', '--email', officer, '--name', 'Officer');
  admin('role', '--email', officer, '--group', 'airports-group', '--role', 'editor');
  admin('account', '--email', other, '--name', 'Other');
  const use = info.project.use as Record<string, unknown>;
  const member = await signedIn(browser, baseURL!, use, officer);
  const outsider = await signedIn(browser, baseURL!, use, other);
  const signedOut = await browser.newContext({ ...use, baseURL });
  const anonymous = await signedOut.newPage();

  await member.page.goto('/permanent-activities');
  await member.page.getByRole('link', { name: 'Terms of reference of Airports Group' }).click();
  await expect(member.page).toHaveURL(new RegExp(`/tor/${DOC}$`));
  await expect(member.page.locator('h1')).toHaveText('Airports Group');

  for (const page of [outsider.page, anonymous]) {
    await page.goto('/permanent-activities');
    await expect(page.locator('#mednet').getByRole('link', { name: /Terms of reference/ })).toBeVisible();
    await expect(page.locator(`a[href="/tor/${DOC}"]`)).toHaveCount(0);
    const response = await page.goto(`/tor/${DOC}`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('body')).not.toContainText('Airports Group');
  }

  if (javaScriptEnabled) {
    await member.page.goto('/');
    await outsider.page.goto('/');
    expect(await syncAnswer(member.page, DOC)).toBe(0);
    expect(await syncAnswer(outsider.page, DOC)).toBe(102);
    expect(await syncAnswer(outsider.page, 'mednet')).toBe(0);
  }
  for (const context of [member.context, outsider.context, signedOut]) await context.close();
});

test('signing in and out through the page, with or without JavaScript', async ({ browser, baseURL, javaScriptEnabled }, info) => {
  const email = `reader-${Date.now()}-${info.project.name}@e2e.test`;
  admin('account', '--email', email, '--name', 'Reader');
  const context = await browser.newContext({ ...(info.project.use as Record<string, unknown>), baseURL });
  const page = await context.newPage();
  await page.goto('/matrix');
  await page.locator('.session-links').getByRole('link', { name: 'Sign in' }).click();
  await expect(page.locator('h1')).toHaveText('Sign in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.signed-in-as')).toHaveText('Reader');
  // With JavaScript, signing out first asks about changes not on the server yet (the page's
  // background sync may still be confirming some): wait until there are none.
  if (javaScriptEnabled) await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('.session-links').getByRole('link', { name: 'Sign in' })).toBeVisible();
  const session = await context.request.get('/api/v1/session');
  expect(await session.json()).toEqual({ signed_in: false });
  await context.close();
});

test('local copies are per account, and signing out deletes them (and cached answers) after asking about unsynced changes', async ({ browser, baseURL, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'local copies exist only with JavaScript');
  const email = `writer-${Date.now()}-${info.project.name}@e2e.test`;
  admin('account', '--email', email, '--name', 'Writer');
  const { context, page } = await signedIn(browser, baseURL!, info.project.use as Record<string, unknown>, email);
  const account = (await context.cookies()).find((c) => c.name === 'pd_account')?.value;
  expect(account).toMatch(/^\d+$/);
  const mine = () => page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), `pd:${account}:doc:`);
  const signedOutKeys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pd:doc:')));

  await page.goto('/tor/national-drug-policies');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  await page.locator('#tor-scope').fill('Written by an account.');
  await expect(page.locator('.sync-status')).toContainText('all changes synced');
  await expect.poll(mine).toContain(`pd:${account}:doc:tor/national-drug-policies`);
  expect(await signedOutKeys(), 'nothing written where the signed-out keep theirs').toEqual([]);
  // The service worker keeps answers that depend on the session (here: who is signed in).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.evaluate(() => fetch('/_app/session'));
  const cachedSession = () => page.evaluate(async () => (await (await caches.match('/_app/session'))?.text()) ?? '');
  await expect.poll(cachedSession).toContain('Writer');

  // Offline, a change waits: signing out says so, and Cancel keeps everything.
  await context.setOffline(true);
  await page.locator('#tor-scope').press('End');
  await page.locator('#tor-scope').pressSequentially(' More.');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => asked).toContain('not on the server yet');
  expect(await mine()).not.toEqual([]);
  await expect(page.locator('.signed-in-as')).toHaveText('Writer');

  // Back online and synced, signing out deletes this account's copies.
  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('.session-links').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await mine()).toEqual([]);
  await expect.poll(cachedSession, { message: 'the cached answer naming the account is gone' }).not.toContain('Writer');
  await context.close();
});
