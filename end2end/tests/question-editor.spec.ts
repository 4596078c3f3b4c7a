// The question editor (issue 15): the Secretariat adjusts an evaluation's questions on
// /evaluations/{id}/questions, a plain form, with JavaScript or without, on desktop and a
// 390 px phone. A step (add, move up) comes back unsaved with what was typed; a save that
// cannot be used says why and keeps it; a good one is the form participants then answer.
import { test, expect, audit } from './fixtures';

test('the Secretariat adds, moves and words questions, and participants get them', async ({ people, browser, javaScriptEnabled }, info) => {
  const id = `questions-${info.project.name}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  const made = await page.request.post('/api/v1/evaluations', {
    data: { id, title: 'Seminar on prisons 2021', activity: 'mednet', format: 'post-activity-questionnaire', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  const link = (await made.json()).link as string;

  // From the results page, its link.
  await page.goto(`/evaluations/${id}`);
  await page.getByRole('link', { name: 'Adjust the questions' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Questions of “Seminar on prisons 2021”');
  await expect(page.getByText('Version 1 has no answers yet: saving changes it in place.')).toBeVisible();
  const questions = page.locator('fieldset.question-edit');
  const count = await questions.count();
  expect(count).toBeGreaterThan(2);
  await audit(page, javaScriptEnabled);

  // Words typed in question 1 survive adding a question, which comes back unsaved.
  await questions.nth(0).getByLabel('Question in English').fill('All in all, how was the seminar?');
  await page.getByRole('button', { name: 'Add a question' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Question ${count + 1} added at the end, not saved yet.` })).toBeVisible();
  await expect(questions).toHaveCount(count + 1);
  await expect(questions.nth(0).getByLabel('Question in English')).toHaveValue('All in all, how was the seminar?');
  const added = questions.nth(count);
  await added.getByLabel('Question in English').fill('How many days did you attend?');
  await added.getByLabel('Question in Arabic (optional)').fill('كم يوما حضرت؟');
  await added.getByLabel('Kind of answer').selectOption('number');
  if (!(await added.locator('details').evaluate((d: HTMLDetailsElement) => d.open))) await added.getByText('Options, limits and condition').click();
  await added.getByLabel(/^Smallest number/).fill('one');
  await page.getByRole('button', { name: `Move question ${count + 1} up` }).click();
  await expect(questions.nth(count - 1).getByLabel('Question in English')).toHaveValue('How many days did you attend?');

  // A save that cannot be used: the reason in words, everything typed still there, nothing saved.
  await page.getByRole('button', { name: 'Save the questions' }).first().click();
  const problems = page.getByRole('alert');
  await expect(problems).toContainText(`Question ${count} (“How many days did you attend?”): the minimum must be a number, not “one”`);
  await expect(questions.nth(count - 1).getByLabel(/^Smallest number/)).toHaveValue('one');
  await expect(questions.nth(0).getByLabel('Question in English')).toHaveValue('All in all, how was the seminar?');
  await questions.nth(count - 1).getByLabel(/^Smallest number/).fill('1');
  await page.getByRole('button', { name: 'Save the questions' }).last().click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved: the questions are version 1.' })).toBeVisible();
  await expect(questions).toHaveCount(count + 1);
  await audit(page, javaScriptEnabled);

  // The participants' form asks the new question, in Arabic for an Arabic reader.
  const context = await browser.newContext(info.project.use as object);
  try {
    const participant = await context.newPage();
    await participant.goto(`${link}?lang=ar`);
    await expect(participant.getByText('كم يوما حضرت؟')).toBeVisible();
    await participant.goto(link);
    await expect(participant.getByText('All in all, how was the seminar?')).toBeVisible();
    await expect(participant.getByText('A number of at least 1.')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('a Secretariat manager edits a template, and the next evaluation starts from it', async ({ people, javaScriptEnabled }, info) => {
  const { page } = await people.signedIn('Manager', 'secretariat=manager');
  await page.goto('/evaluations');
  await page.getByRole('link', { name: 'Individual internal evaluation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Questions of “Individual internal evaluation (template)”');
  await expect(page.locator('p.note').first()).toContainText('of this template');
  await audit(page, javaScriptEnabled);
  const first = page.locator('fieldset.question-edit').first();
  // Every project's run writes the same words, so runs in any order agree.
  await first.getByLabel('Question in French (optional)').fill('Quel a été votre rôle dans l’activité ?');
  await page.getByRole('button', { name: 'Save the questions' }).last().click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved: the questions are version \d+\.$/ })).toBeVisible();

  const id = `internal-${info.project.name}-${Date.now()}`.replace(/[^a-z0-9-]/g, '-');
  const made = await page.request.post('/api/v1/evaluations', {
    data: { id, title: 'Seminar, internal view', activity: 'mednet', format: 'individual-internal', opens: '2020-01-01', closes: '2099-12-31' },
  });
  expect(made.status()).toBe(201);
  const madeForm = await (await page.request.get(`/api/v1/evaluations/${id}`)).json();
  expect(madeForm.form.questions[0].label.fr).toBe('Quel a été votre rôle dans l’activité ?');
});
