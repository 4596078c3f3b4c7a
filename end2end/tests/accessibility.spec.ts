// Automated accessibility audit (axe-core, WCAG 2.1 A and AA rules) of every kind of page,
// hydrated and without JavaScript, on desktop and phone.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, account, signIn } from './fixtures';

const pages = [
  '/',
  '/about',
  '/priorities/new-challenges',
  '/actions/online-self-help-tools',
  '/matrix',
  '/matrix?format=expert_group',
  '/permanent-activities',
  '/working-methods',
  '/search?q=police',
  '/tor/mednet',
  '/sign-in',
  '/groups',
  '/device',
  '/invite/an-invitation-link',
  '/no/such/page',
];

for (const path of pages) {
  test(`no WCAG A/AA violations on ${path}`, async ({ page, javaScriptEnabled }) => {
    // ToRs are for signed-in accounts; the groups page shows most to a Secretariat manager
    // (the invitation form and the audit log).
    if (path.startsWith('/tor/')) await signIn(page.context(), account('Reader'));
    if (path === '/groups') await signIn(page.context(), account('Secretariat', 'secretariat=manager'));
    if (path === '/device') await signIn(page.context(), account('Delegate', 'secretariat=editor'));
    await page.goto(path);
    if (javaScriptEnabled) {
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
      // This device's report, filled in by the browser: its table and choices are audited too.
      if (path === '/device') await expect(page.locator('.device-summary')).toBeVisible();
    }
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
  });
}
