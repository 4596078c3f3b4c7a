// Accounts for the browser tests: made with the server's admin CLI against the test server's
// data dir (the server runs the strict access rule), and signed in through the API inside a
// browser context, whose pages then share the session cookie.
import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

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

/** A browser context signed in as a new account with these roles. */
export async function signedInContext(browser: Browser, baseURL: string, use: Record<string, unknown>, name: string, ...roles: string[]) {
  const context = await browser.newContext({ ...use, baseURL });
  const email = account(name, ...roles);
  await signIn(context, email);
  return { context, email };
}

/** Drafters in these tests are Secretariat editors, who may edit every ToR. */
export const DRAFTER = 'secretariat=editor';
