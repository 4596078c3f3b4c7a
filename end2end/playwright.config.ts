// Playwright drives Debian's Chromium (never a downloaded browser) against the release
// server, which it starts on E2E_PORT with a fresh data dir (the Makefile's `e2e` target
// picks both). Every flow runs hydrated and with JavaScript off, on desktop and phone.
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3999);
const dataDir = process.env.E2E_DATA_DIR ?? '/tmp/programme-desk-e2e';
// Another build may be tested instead of ../target's (paths relative to this folder).
const serverBin = process.env.E2E_SERVER_BIN ?? '../target/release/server';
const siteRoot = process.env.E2E_SITE_ROOT ?? '../target/site';
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
const desktop = { ...devices['Desktop Chrome'], launchOptions: chromium };
const phone = { ...devices['Pixel 7'], launchOptions: chromium };
const narrowPhone = { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, launchOptions: chromium };

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
  },
  projects: [
    { name: 'desktop', use: desktop },
    // axe runs as a script in the page, so the audit runs where JavaScript does (the DOM is
    // the same server-rendered one either way).
    { name: 'desktop-no-js', use: { ...desktop, javaScriptEnabled: false }, testIgnore: /accessibility|yjs-interop/ },
    { name: 'phone', use: phone, testIgnore: /keyboard|yjs-interop/ },
    { name: 'phone-390', use: narrowPhone, testIgnore: /keyboard|yjs-interop/ },
    { name: 'phone-no-js', use: { ...narrowPhone, javaScriptEnabled: false }, testIgnore: /keyboard|accessibility|yjs-interop/ },
  ],
  webServer: {
    command: `${serverBin} --addr 127.0.0.1:${port} --data-dir ${dataDir} --site-root ${siteRoot} --log-level warn`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
  },
});
