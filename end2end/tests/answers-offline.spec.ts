// Answering with no network (issue 15): a participant opens a questionnaire's link once online,
// loses the network (a train), answers, reloads, sends: the answers are kept on the device
// (public/answers.js, the service worker's outbox in public/sw.js), listed as not sent, and
// sent when the network returns; the Secretariat counts them. Hydrated projects only: without
// JavaScript there is no service worker, and the form posts online as before.
import type { Page } from '@playwright/test';
import { test, expect, audit } from './fixtures';

const CACHE = 'programme-desk-v2';

/** Whether the service worker keeps the page at its address, the script it loads and the
 * "this device" page (kept with every page once the first is interactive). */
function formKept(page: Page): Promise<boolean> {
  return page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return Boolean((await cache.match(location.href)) && (await cache.match('/answers.js')) && (await cache.match('/device')));
  }, CACHE);
}

/** A questionnaire made by the Secretariat (`officer`), open until 2099: its participants' link. */
async function questionnaire(officer: Page, id: string, title: string): Promise<string> {
  const made = await officer.request.post('/api/v1/evaluations', {
    data: { id, title, activity: 'mednet', format: 'post-activity-questionnaire', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  return (await made.json()).link as string;
}

test('a questionnaire answered with no network is kept, survives a reload and is sent when the network returns', async ({ people, browser, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'keeping answers on the device takes the service worker');
  const id = `train-${info.project.name}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');
  const { page: officer } = await people.signedIn('Officer', 'secretariat=manager');
  const link = await questionnaire(officer, id, 'MedNET seminar 2021');
  const responses = async () => (await (await officer.request.get(`/api/v1/evaluations/${id}/results`)).json()).responses as number;

  const context = await browser.newContext(info.project.use as object);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(link);
    // Opened once, before the worker controlled the page: it is kept all the same.
    await expect.poll(() => formKept(page), { timeout: 30_000 }).toBe(true);

    await context.setOffline(true);
    await page.getByRole('group', { name: /^1\. Overall/ }).getByLabel('4').check();
    await page.getByRole('group', { name: /^2\. How relevant/ }).getByLabel('5').check();
    await page.getByRole('group', { name: /^7\. Will you use/ }).getByLabel('Yes').check();
    await page.getByLabel(/^10\. What should we change/).fill('Written on the train <b>home</b>');
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'What you typed on this device is back' })).toBeVisible();
    await expect(page.getByRole('group', { name: /^1\. Overall/ }).getByLabel('4')).toBeChecked();
    await expect(page.getByRole('group', { name: /^7\. Will you use/ }).getByLabel('Yes')).toBeChecked();
    await expect(page.getByLabel(/^10\. What should we change/)).toHaveValue('Written on the train <b>home</b>');

    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page).toHaveURL(/\?queued=1$/);
    await expect(page.getByRole('status').filter({ hasText: 'your answers are saved on this device' })).toBeVisible();
    await expect(page.locator('form.questionnaire')).toBeHidden();
    const unsent = page.locator('section.unsent-answers');
    await expect(unsent.getByRole('link', { name: 'MedNET seminar 2021' })).toBeVisible();
    await expect(unsent.locator('[data-unsent-summary]')).toHaveText('1 answer is not sent yet.');
    await audit(page, javaScriptEnabled);
    // A restart of the page changes nothing: still kept, still listed, nothing on the server.
    await page.reload();
    await expect(unsent.locator('[data-unsent-summary]')).toHaveText('1 answer is not sent yet.');
    expect(await responses()).toBe(0);
    // The "this device" page lists it too.
    await page.goto('/device');
    await expect(page.locator('section.unsent-answers').getByRole('link', { name: 'MedNET seminar 2021' })).toBeVisible();

    await context.setOffline(false);
    await expect(page.locator('section.unsent-answers [data-unsent-summary]')).toHaveText('No answer written on this device waits to be sent.', { timeout: 20_000 });
    await expect.poll(responses, { timeout: 10_000 }).toBe(1);
    // Sent once: going on, nothing is sent again.
    await page.goto(link);
    await expect(page.getByRole('status').filter({ hasText: 'This browser has answered already' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'What you typed on this device is back' })).toHaveCount(0);
    expect(await responses()).toBe(1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('an answer sent later and refused by the server stays listed, with the form that says why', async ({ people, browser, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'keeping answers on the device takes the service worker');
  const id = `refused-${info.project.name}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');
  const { page: officer } = await people.signedIn('Officer', 'secretariat=manager');
  const link = await questionnaire(officer, id, 'Airport seminar 2021');
  const context = await browser.newContext(info.project.use as object);
  try {
    const page = await context.newPage();
    await page.goto(link);
    await expect.poll(() => formKept(page), { timeout: 30_000 }).toBe(true);
    await context.setOffline(true);
    // A required answer left out, past the browser's own check (an old phone's browser).
    await page.getByRole('group', { name: /^1\. Overall/ }).getByLabel('2').check();
    await page.locator('form.questionnaire').evaluate((form: HTMLFormElement) => form.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page).toHaveURL(/\?queued=1$/);
    const unsent = page.locator('section.unsent-answers');
    await expect(unsent.locator('[data-unsent-summary]')).toHaveText('1 answer is not sent yet.');

    await context.setOffline(false);
    const item = unsent.getByRole('listitem');
    await expect(item).toContainText('not accepted: some answers need attention', { timeout: 20_000 });
    // The link opens the form with the server's reasons and the answers it kept.
    await item.getByRole('link', { name: 'Airport seminar 2021' }).click();
    await expect(page.getByRole('alert')).toContainText('an answer is required');
    await expect(page.getByRole('group', { name: /^1\. Overall/ }).getByLabel('2')).toBeChecked();
    await expect(page.locator('section.unsent-answers [data-unsent-summary]')).toHaveText('1 answer was not accepted: open it to see why.');
    // Still listed until it is sent, or removed by the person.
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator('section.unsent-answers').getByRole('button', { name: 'Remove from this list' }).click();
    await expect(page.locator('section.unsent-answers')).toBeHidden();

    // Refused again from the outbox, then put right and sent online: the entry is settled.
    await context.setOffline(true);
    await page.locator('form.questionnaire').evaluate((form: HTMLFormElement) => form.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page).toHaveURL(/\?queued=1$/);
    await context.setOffline(false);
    await expect(page.locator('section.unsent-answers').getByRole('listitem')).toContainText('not accepted', { timeout: 20_000 });
    await page.locator('section.unsent-answers').getByRole('link', { name: 'Airport seminar 2021' }).click();
    await page.getByRole('group', { name: /^2\. How relevant/ }).getByLabel('4').check();
    await page.getByRole('group', { name: /^7\. Will you use/ }).getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Thank you: your answers are recorded' })).toBeVisible();
    await page.goto('/device');
    await expect(page.locator('section.unsent-answers [data-unsent-summary]')).toHaveText('No answer written on this device waits to be sent.', { timeout: 20_000 });
    await expect(page.locator('section.unsent-answers').getByRole('listitem')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
