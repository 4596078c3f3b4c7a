// Evaluations (issue 15, the pages so far): the Secretariat creates a post-activity
// questionnaire on /evaluations; participants answer it through its link without an account,
// with JavaScript or without, on desktop and phone (a refused answer is kept and explained);
// the results page counts them, draws each question with its table, offers the CSV and the
// QR code; the questions in Arabic read right to left; axe finds nothing on the three pages.
import type { Browser, Page } from '@playwright/test';
import { test, expect, admin, signIn, audit } from './fixtures';

/** A unique evaluation id per project and run (every project shares one server). */
const evaluationId = (project: string) => `training-${project}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');

/** A participant with a browser of their own, signed out, answering through `link`. */
async function participant(browser: Browser, project: object, link: string, answer: (page: Page) => Promise<void>) {
  const context = await browser.newContext(project);
  try {
    const page = await context.newPage();
    await page.goto(link);
    await answer(page);
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Thank you: your answers are recorded' })).toBeVisible();
  } finally {
    await context.close();
  }
}

test('a questionnaire is created, answered through its link and counted', async ({ people, browser, javaScriptEnabled }, info) => {
  const id = evaluationId(info.project.name);
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  await page.goto('/evaluations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Evaluations');
  const form = page.locator('form.new-evaluation');
  await form.getByLabel('Title', { exact: true }).fill('Executive Training 2020');
  await form.getByLabel(/^Id, in the address/).fill('Not An Id');
  await form.getByLabel('Activity', { exact: true }).selectOption('drug-policy-academy');
  await form.getByLabel('Format', { exact: true }).selectOption('post-activity-questionnaire');
  await form.getByLabel(/^Opens/).fill('2020-11-23');
  await form.getByLabel(/^Closes/).fill('2099-12-31');
  // The browser's own check stops a bad id; past it (the server checks again), the page says why.
  await form.getByLabel(/^Id, in the address/).evaluate((input: HTMLInputElement) => input.removeAttribute('pattern'));
  await form.getByRole('button', { name: 'Create the evaluation' }).click();
  await expect(page.getByRole('alert')).toContainText('lowercase letters, digits and hyphens');
  // What was typed is kept: only the id needs changing.
  await expect(form.getByLabel('Title', { exact: true })).toHaveValue('Executive Training 2020');
  await expect(form.getByLabel('Activity', { exact: true })).toHaveValue('drug-policy-academy');
  await expect(form.getByLabel(/^Closes/)).toHaveValue('2099-12-31');
  await form.getByLabel(/^Id, in the address/).fill(id);
  await form.getByRole('button', { name: 'Create the evaluation' }).click();
  await expect(page).toHaveURL(new RegExp(`/evaluations/${id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Executive Training 2020');
  await expect(page.locator('.response-count')).toContainText('0 answers counted');
  await expect(page.getByText('shown from 3 answers')).toBeVisible();
  const link = (await page.locator('.participants-link a.link-text').textContent()) ?? '';
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/answer\/[A-Za-z0-9_-]{43}$/);
  const qr = await page.request.get(`/api/v1/evaluations/${id}/link.svg`);
  expect(qr.headers()['content-type']).toBe('image/svg+xml');
  await audit(page, javaScriptEnabled);

  const project = info.project.use as object;
  // The first leaves a required question out: refused, told which, what was given kept.
  await participant(browser, project, link, async (page) => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Executive Training 2020');
    await audit(page, javaScriptEnabled);
    const overall = page.getByRole('group', { name: /^1\. Overall, how would you rate this activity\?/ });
    await overall.getByLabel('5').check();
    await page.getByLabel(/^10\. What should we change/).fill('=1+1 more time for questions');
    // Past the browser's own check for required answers, as an old phone's browser would be.
    await page.locator('form.questionnaire').evaluate((form: HTMLFormElement) => form.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('alert')).toContainText('“How relevant was the activity to your work?”: an answer is required');
    await expect(page.getByRole('group', { name: /^1\. Overall/ }).getByLabel('5')).toBeChecked();
    await expect(page.getByLabel(/^10\. What should we change/)).toHaveValue('=1+1 more time for questions');
    await page.getByRole('group', { name: /^2\. How relevant/ }).getByLabel('4').check();
    await page.getByRole('group', { name: /^7\. Will you use/ }).getByLabel('Yes').check();
  });
  for (const overall of ['4', '3']) {
    await participant(browser, project, link, async (page) => {
      await page.getByRole('group', { name: /^1\. Overall/ }).getByLabel(overall).check();
      await page.getByRole('group', { name: /^2\. How relevant/ }).getByLabel('5').check();
      await page.getByRole('group', { name: /^3\. Which of the work programme/ }).getByLabel(/New challenges/).check();
      await page.getByRole('group', { name: /^7\. Will you use/ }).getByLabel('No').check();
    });
  }

  await page.reload();
  await expect(page.locator('.response-count')).toContainText('3 answers counted');
  const overall = page.locator('section.question-result').filter({ has: page.getByRole('heading', { name: /^1\. Overall/ }) });
  await expect(overall.getByText('Mean 4.0, median 4.')).toBeVisible();
  await expect(overall.locator('svg.chart rect')).toHaveCount(5);
  await expect(overall.getByRole('row', { name: /^5 \(Excellent\) 1 33\.3 %$/ })).toBeVisible();
  const priorities = page.locator('section.question-result').filter({ has: page.getByRole('heading', { name: /^3\. Which of the work programme/ }) });
  await expect(priorities.getByRole('row', { name: /^New challenges.* 2 100 %$/ })).toBeVisible();
  await audit(page, javaScriptEnabled);

  const csv = await page.request.get(`/api/v1/evaluations/${id}/answers.csv`);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = body.subarray(3).toString('utf8').trim().split(/\r?\n/);
  expect(lines[0].startsWith('form-version,submitted,overall,relevance,priorities:good-governance')).toBe(true);
  expect(lines).toHaveLength(4);
  expect(lines.some((l) => l.includes(",'=1+1 more time for questions"))).toBe(true);

  // Listed, and found by the filters.
  await page.goto(`/evaluations?format=post-activity-questionnaire&open=1`);
  await expect(page.getByRole('link', { name: 'Executive Training 2020' }).first()).toBeVisible();
  await page.goto(`/evaluations?format=mid-term`);
  await expect(page.locator(`a[href="/evaluations/${id}"]`)).toHaveCount(0);
  await audit(page, javaScriptEnabled);
});

test('the questions read in Arabic, right to left, and a wrong link says so', async ({ people, browser }, info) => {
  const id = evaluationId(`ar-${info.project.name}`);
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  const made = await page.request.post('/api/v1/evaluations', {
    data: { id, title: 'MedNET seminar', activity: 'mednet', format: 'post-activity-questionnaire', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  const link = (await made.json()).link as string;
  const context = await browser.newContext(info.project.use as object);
  const participantPage = await context.newPage();
  await participantPage.goto(`${link}?lang=ar`);
  const form = participantPage.locator('form.questionnaire');
  await expect(form).toHaveAttribute('dir', 'rtl');
  await expect(form.locator('legend').first()).toContainText('بشكل عام، كيف تقيّم هذا النشاط؟');
  await expect(form.locator('legend [lang="ar"]').first()).toBeVisible();
  await participantPage.goto('/answer/no-such-link');
  await expect(participantPage.getByText('This link opens no questionnaire')).toBeVisible();
  await context.close();
});

test('a Permanent Correspondent answers the mid-term evaluation for their delegation on its page', async ({ people, javaScriptEnabled }, info) => {
  const id = evaluationId(`mid-${info.project.name}`);
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  const made = await page.request.post('/api/v1/evaluations', {
    data: { id, title: 'Mid-term evaluation 2021', activity: 'mednet', format: 'mid-term', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  const context = await people.context();
  const email = `pc-${info.project.name}-${Date.now()}@e2e.test`;
  admin('delegation', 'add', 'Malta');
  admin('account', '--email', email, '--name', 'PC', '--delegation', 'Malta', '--role', 'permanent-correspondents=commenter');
  await signIn(context, email);
  const pc = await context.newPage();
  await pc.goto(`/evaluations/${id}`);
  await pc.getByRole('link', { name: 'Answer this evaluation' }).click();
  await expect(pc.getByText('You answer as the delegation of Malta')).toBeVisible();
  await audit(pc, javaScriptEnabled);
  // A conditional question stays hidden until its condition is met, with or without JavaScript.
  const changes = pc.getByLabel(/What should change\?/);
  await expect(changes).toBeHidden();
  await pc.locator('input[name="q-continue"][value="with-changes"]').check();
  await expect(changes).toBeVisible();
  for (const [question, value] of [['usefulness', '4'], ['priority-fit', '3'], ['participated', 'no'], ['continue', 'as-planned']]) {
    await pc.locator(`input[name="q-${question}"][value="${value}"]`).check();
  }
  await expect(changes).toBeHidden();
  await pc.getByRole('button', { name: 'Send my answers' }).click();
  await expect(pc.getByRole('status').filter({ hasText: 'Thank you: your answers are recorded' })).toBeVisible();
  await pc.goto(`/evaluations/${id}`);
  await expect(pc.locator('.response-count')).toContainText('1 answer counted');
});

test('an open evaluation\'s results follow new answers by themselves, three at a time while anonymous', async ({ people, playwright, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'without JavaScript the page shows the results as they were when loaded');
  const id = `live-${info.project.name}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  const made = await page.request.post('/api/v1/evaluations', {
    data: { id, title: 'Live seminar 2021', activity: 'mednet', format: 'post-activity-questionnaire', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  const link = (await made.json()).link as string;
  await page.goto(`/evaluations/${id}`);
  await expect(page.locator('[data-live-note]')).toHaveText('These results follow new answers by themselves.');
  await expect(page.locator('.response-count')).toContainText('0 answers counted');

  // Participants answer from their own browsers (the JSON API, as the page's form does).
  const baseURL = new URL(page.url()).origin;
  const answer = async (overall: number) => {
    const browser = await playwright.request.newContext({ baseURL });
    try {
      expect((await browser.get(`/api/v1${link}`)).status()).toBe(200);
      const sent = await browser.post(`/api/v1${link}`, {
        data: { form_version: 1, answers: { overall: { rating: overall }, relevance: { rating: 4 }, 'use-in-work': { yes_no: true } } },
      });
      expect(sent.status()).toBe(200);
    } finally {
      await browser.dispose();
    }
  };
  await answer(5);
  await answer(4);
  // The server tells the page of each answer (`/evaluations/{id}/live`); the page's own
  // asking comes only once a minute, so these 15 s pass only when the telling works.
  await expect(page.locator('.response-count')).toContainText('2 answers counted', { timeout: 15_000 });
  await expect(page.locator('[data-live-note]')).toContainText('Updated at');
  await expect(page.locator('.batches')).toContainText('2 answers received wait for the next ones');
  await expect(page.getByText('shown from 3 answers')).toBeVisible();
  await answer(3);
  const overall = page.locator('section.question-result').filter({ has: page.getByRole('heading', { name: /^1\. Overall/ }) });
  await expect(overall.getByText('Mean 4.0, median 4.')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.response-count')).toContainText('3 answers counted');
  await expect(page.locator('.batches')).toHaveCount(0);
  await audit(page, javaScriptEnabled);
});
