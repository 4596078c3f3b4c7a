// The outcome evaluation (issue 15): the Secretariat fills in an action's outcome report on
// /outcomes/{id}, with JavaScript or without, on desktop and phone; what is unfinished (a
// link without https://) is kept and listed; a PC reads the report, the compliance view and
// the action page's line; axe finds nothing on either page, and nothing is wider than a
// 390 px phone.
import { test, expect, audit } from './fixtures';

/** One action per project (every project shares one server), each expecting one output. */
const ACTIONS: Record<string, string> = {
  desktop: 'nps',
  'desktop-no-js': 'stimulants',
  phone: 'target-groups',
  'phone-390': 'cost-assessment-tools',
  'phone-no-js': 'screening-tools',
};

test('the Secretariat reports an outcome and the PCs see it in the compliance view', async ({ people, javaScriptEnabled }, info) => {
  const action = ACTIONS[info.project.name];
  const { page } = await people.signedIn('Officer', 'secretariat=manager');
  await page.goto(`/outcomes/${action}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Outcome: /);
  await audit(page, javaScriptEnabled);
  const form = page.locator('form.outcome');
  const expected = form.locator('fieldset.outcome-row').first();
  await expected.getByRole('group', { name: 'Delivered?' }).getByLabel('Delivered', { exact: true }).check();
  await expected.getByLabel('Evidence: a web address (https://…)').fill('www.example.org/report');
  await expected.getByLabel('Evidence: a note').fill('Adopted at the 84th PC meeting');
  await form.getByRole('button', { name: 'Save the outcome report' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved as revision \d+\.$/ })).toBeVisible();
  // Kept as typed, and listed as still to complete.
  const unfinished = page.getByRole('region', { name: 'Still to complete' });
  await expect(unfinished).toContainText('"www.example.org/report" is not a web address');
  await expect(unfinished).toContainText('judge its contribution');
  await expect(page.locator('form.outcome fieldset.outcome-row').first().getByLabel('Evidence: a web address (https://…)')).toHaveValue('www.example.org/report');

  await page.locator('form.outcome fieldset.outcome-row').first().getByLabel('Evidence: a web address (https://…)').fill('https://www.example.org/report');
  const extra = page.getByRole('group', { name: 'Output not expected 1' });
  await extra.getByLabel('Kind of output').selectOption('guidelines');
  await extra.getByLabel('What the output is').fill('Guidelines for side events');
  const priority = page.locator('form.outcome fieldset.outcome-row').last();
  await priority.getByRole('group', { name: 'Contribution' }).getByLabel('Strong contribution').check();
  await page.getByRole('button', { name: 'Save the outcome report' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved as revision \d+\.$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Still to complete' })).toHaveCount(0);
  await expect(page.locator('.response-count')).toContainText('1 of 1 expected output delivered; 1 output not expected');
  await audit(page, javaScriptEnabled);

  // A Permanent Correspondent reads the compliance view, the report and the action's line.
  const pc = (await people.signedIn('Correspondent', 'permanent-correspondents=commenter')).page;
  await pc.goto('/compliance');
  await expect(pc.getByRole('heading', { level: 1 })).toHaveText('Compliance of activities and outputs with the set priorities');
  const row = pc.locator('table.compliance tr.activity').filter({ has: pc.locator(`a[href="/outcomes/${action}"]`) });
  await expect(row.locator('td.delivered')).toContainText('Delivered');
  await expect(row.locator('td.extra')).toContainText('Delivered, not expected');
  await expect(row.locator('td.contribution')).toContainText('Strong contribution');
  await audit(pc, javaScriptEnabled);
  await row.getByRole('link').first().click();
  await expect(pc.getByRole('heading', { level: 1 })).toHaveText(/^Outcome: /);
  await expect(pc.locator('form.outcome')).toHaveCount(0);
  await expect(pc.getByRole('link', { name: 'https://www.example.org/report' })).toBeVisible();
  await expect(pc.getByText('Guidelines for side events')).toBeVisible();
  await audit(pc, javaScriptEnabled);
  await pc.goto(`/actions/${action}`);
  await expect(pc.locator('.outcome-line')).toHaveText('Outcome: 1 of 1 expected output delivered; 1 output not expected.');
});

test('outcome reports are for the Secretariat and the PCs only', async ({ people }) => {
  const { page } = await people.signedIn('Member');
  await page.goto('/compliance');
  await expect(page.getByText('The compliance view is for the Secretariat and the Permanent Correspondents.')).toBeVisible();
  const response = await page.goto('/outcomes/nps');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('There is no such activity, or its outcome report is not yours to see.')).toBeVisible();
});
