// Anchored comments on a ToR: two people in two browser contexts comment, reply, keep their
// highlights on the right words while the text changes, accept suggestions, comment offline,
// and never see user text run as HTML. Hydrated projects only; the bottom sheet on phones.
import { type Page, type TestInfo } from '@playwright/test';
import { test, expect, DRAFTER, type People } from './fixtures';

const DOCS: Record<string, string> = {
  desktop: 'early-intervention',
  phone: 'gender-dimension',
  'phone-390': 'age-group-interventions',
};

/** `name`, a Secretariat editor signed in in a browser context of their own, on `path`. */
async function open(people: People, name: string, path: string) {
  const { context, page } = await people.signedIn(name, DRAFTER);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  await expect(page.locator('#tor-scope')).toBeEditable();
  await expect(page.locator('.tor-editor')).toHaveAttribute('data-editor', 'ready', { timeout: 15_000 });
  // Signed in, people appear under their account's name: nothing to type.
  await expect(page.locator('.name-field')).toHaveText(`Others see you as ${name}.`);
  await expect(page.getByLabel('Your name, as others see it')).toHaveCount(0);
  return { context, page, dialogs };
}

/** Anna and Bruno, each in a browser context of their own, on this project's ToR. */
async function pair(people: People, info: TestInfo) {
  const path = `/tor/${DOCS[info.project.name]}`;
  return { anna: await open(people, 'Anna', path), bruno: await open(people, 'Bruno', path) };
}

/** Selects `words` in a section's field (first occurrence) and comments on them. */
async function comment(page: Page, section: string, words: string, body: string, suggestion?: string) {
  const field = page.locator(`#tor-${section}`);
  const value = await field.inputValue();
  const start = value.indexOf(words);
  expect(start, `"${words}" in ${section}`).toBeGreaterThanOrEqual(0);
  await field.evaluate((el: HTMLTextAreaElement, [s, e]) => el.setSelectionRange(s, e), [start, start + words.length]);
  await page.locator('.tor-section').filter({ has: field }).getByRole('button', { name: /Comment on the selected words/ }).click();
  await page.getByLabel('Comment', { exact: true }).fill(body);
  if (suggestion !== undefined) await page.getByLabel('Suggest replacement text (optional)').fill(suggestion);
  await page.getByRole('button', { name: 'Add comment' }).click();
}

function marks(page: Page, section: string) {
  return page.locator(`.tor-field:has(#tor-${section}) mark.comment-mark`);
}

function thread(page: Page, text: string) {
  return page.locator('.thread').filter({ hasText: text });
}

/** On a phone the panel is a bottom sheet: open it to read threads. */
async function showPanel(page: Page) {
  const toggle = page.locator('.sheet-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

test.describe('comments on terms of reference', () => {
  test.beforeEach(({ javaScriptEnabled }, info) => {
    test.skip(!javaScriptEnabled || !DOCS[info.project.name], 'hydrated projects only');
  });

  test('a comment, its highlight and replies reach the other person live, and stay on the same words', async ({ people }, info) => {
    const { anna, bruno } = await pair(people, info);
    await anna.page.locator('#tor-scope').fill('Support early intervention in schools.');
    await expect(bruno.page.locator('#tor-scope')).toHaveValue('Support early intervention in schools.');

    await comment(anna.page, 'scope', 'early intervention', 'Which age groups?');
    await expect(marks(bruno.page, 'scope')).toHaveText(['early intervention'], { timeout: 1_000 });
    await showPanel(bruno.page);
    await expect(thread(bruno.page, 'Which age groups?')).toContainText('Anna', { timeout: 1_000 });

    // Bruno types before the commented words: the highlight stays on them, for both.
    await bruno.page.locator('#tor-scope').press('Control+Home');
    await bruno.page.locator('#tor-scope').pressSequentially('Draft: ');
    await expect(anna.page.locator('#tor-scope')).toHaveValue('Draft: Support early intervention in schools.');
    await expect(marks(anna.page, 'scope')).toHaveText(['early intervention']);
    await expect(marks(bruno.page, 'scope')).toHaveText(['early intervention']);

    // Bruno replies; Anna resolves; both see it.
    await thread(bruno.page, 'Which age groups?').getByRole('button', { name: 'Reply' }).click();
    await bruno.page.locator('.thread .text-form textarea').fill('Ten to fourteen.');
    await bruno.page.locator('.thread .text-form').getByRole('button', { name: 'Reply' }).click();
    await showPanel(anna.page);
    await expect(thread(anna.page, 'Which age groups?')).toContainText('Ten to fourteen.', { timeout: 1_000 });

    // Printing gives the text alone, the commented words marked with a footnote number, and
    // the thread (with its reply) as the footnote.
    await anna.page.emulateMedia({ media: 'print' });
    const printed = anna.page.locator('.print-only');
    await expect(printed).toBeVisible();
    await expect(anna.page.locator('.comments-panel')).toBeHidden();
    await expect(anna.page.locator('#tor-scope')).toBeHidden();
    await expect(printed.locator('.print-text').filter({ hasText: 'early intervention' })).toContainText('Draft: Support early intervention1 in schools.');
    await expect(printed.locator('.footnotes li')).toHaveText(['“early intervention” — Anna: Which age groups? — Bruno: Ten to fourteen.']);
    await anna.page.emulateMedia({ media: 'screen' });
    await expect(anna.page.locator('#tor-scope')).toBeVisible();
    await thread(anna.page, 'Which age groups?').getByRole('button', { name: 'Resolve' }).click();
    await expect(marks(bruno.page, 'scope')).toHaveCount(0, { timeout: 1_000 });
    await bruno.page.locator('.filters').getByRole('button', { name: /Resolved/ }).click();
    await expect(thread(bruno.page, 'Which age groups?')).toContainText('Resolved by Anna');
  });

  test('accepting a suggestion changes the text for the other person, and undoing it brings the words back', async ({ people }, info) => {
    const { anna, bruno } = await pair(people, info);
    await bruno.page.locator('#tor-purpose').fill('To map good practice.');
    await expect(anna.page.locator('#tor-purpose')).toHaveValue('To map good practice.');
    await comment(bruno.page, 'purpose', 'good practice', 'More precise?', 'evidence-based practice');
    await showPanel(anna.page);
    await thread(anna.page, 'More precise?').getByRole('button', { name: 'Accept' }).click();
    await expect(anna.page.locator('#tor-purpose')).toHaveValue('To map evidence-based practice.');
    await expect(bruno.page.locator('#tor-purpose')).toHaveValue('To map evidence-based practice.', { timeout: 1_000 });
    // Deciding a suggestion resolves its thread.
    await showPanel(bruno.page);
    await bruno.page.locator('.filters').getByRole('button', { name: /Resolved/ }).click();
    await expect(thread(bruno.page, 'More precise?')).toContainText('accepted by Anna', { ignoreCase: true });
    // The acceptance is one undoable change: Bruno undoes it, both have the old words back and
    // the thread is open again.
    await thread(bruno.page, 'More precise?').getByRole('button', { name: 'Undo accepting' }).click();
    await expect(bruno.page.locator('#tor-purpose')).toHaveValue('To map good practice.');
    await expect(anna.page.locator('#tor-purpose')).toHaveValue('To map good practice.', { timeout: 1_000 });
    await anna.page.locator('.filters').getByRole('button', { name: /Open/ }).click();
    await expect(thread(anna.page, 'More precise?')).toContainText('Acceptance undone by Bruno');
    await expect(thread(anna.page, 'More precise?').getByRole('button', { name: 'Accept' })).toBeEnabled();
    await expect(marks(anna.page, 'purpose')).toHaveText(['good practice']);
  });

  test('a comment made offline survives a reload and reaches the other person later', async ({ people }, info) => {
    const { anna, bruno } = await pair(people, info);
    const written = `Written offline (${Date.now()}).`;
    await anna.page.locator('#tor-timespan').fill('Two years from 2020.');
    await expect(bruno.page.locator('#tor-timespan')).toHaveValue('Two years from 2020.');
    await expect
      .poll(() => anna.page.evaluate(async () => Boolean(await caches.match(location.href))), { timeout: 15_000 })
      .toBe(true);

    await anna.context.setOffline(true);
    await expect(anna.page.locator('.sync-status')).toHaveClass(/offline/);
    await comment(anna.page, 'timespan', 'Two years', written);
    await anna.page.reload();
    await expect(anna.page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    // Opened offline from the kept copy, the page may still be settling: open the sheet
    // (phones) until the thread shows.
    await expect(async () => {
      await showPanel(anna.page);
      await expect(thread(anna.page, written)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await expect(marks(anna.page, 'timespan')).toHaveText(['Two years']);
    await showPanel(bruno.page);
    await expect(thread(bruno.page, written)).toHaveCount(0);

    await anna.context.setOffline(false);
    await expect(thread(bruno.page, written)).toBeVisible({ timeout: 15_000 });
  });

  test('markup in a comment shows as text and runs nothing, addresses are links; on a phone a highlight opens the sheet', async ({ people }, info) => {
    const { anna, bruno } = await pair(people, info);
    const markup = '<img src=x onerror=alert(1)>';
    await anna.page.locator('#tor-synergies').fill('EMCDDA and UNODC.');
    await expect(bruno.page.locator('#tor-synergies')).toHaveValue('EMCDDA and UNODC.');
    await comment(anna.page, 'synergies', 'UNODC', markup);
    await showPanel(bruno.page);
    await expect(thread(bruno.page, markup).locator('.body')).toHaveText(markup);
    await expect(bruno.page.locator('.thread img')).toHaveCount(0);

    // A web address in a body is a link; a javascript: one is not, and markup stays text.
    const withLinks = 'See https://www.coe.int/en/web/pompidou. Not javascript:alert(2) <b>bold</b>';
    await comment(anna.page, 'synergies', 'EMCDDA', withLinks);
    const body = thread(bruno.page, 'javascript:alert(2)').locator('.body');
    await expect(body).toHaveText(withLinks, { timeout: 1_000 });
    await expect(body.getByRole('link')).toHaveCount(1);
    await expect(body.getByRole('link')).toHaveAttribute('href', 'https://www.coe.int/en/web/pompidou');
    await expect(body.getByRole('link')).toHaveAttribute('rel', /noopener/);
    await expect(body.locator('b')).toHaveCount(0);

    // Anna edits her comment, then deletes it: Bruno sees both, and "deleted" stays.
    await showPanel(anna.page);
    await thread(anna.page, markup).getByRole('button', { name: 'Edit' }).click();
    await anna.page.locator('.thread .text-form textarea').fill('Edited: which office?');
    await anna.page.locator('.thread .text-form').getByRole('button', { name: 'Edit' }).click();
    await expect(thread(bruno.page, 'Edited: which office?')).toContainText('edited', { timeout: 1_000 });
    await expect(thread(bruno.page, 'Edited: which office?').getByRole('button', { name: 'Edit' }), 'only the author may edit').toHaveCount(0);
    await thread(anna.page, 'Edited: which office?').getByRole('button', { name: 'Delete' }).click();
    await expect(bruno.page.locator('.thread').filter({ hasText: 'UNODC' }).locator('.body.deleted')).toHaveText('deleted', { timeout: 1_000 });

    if (info.project.name !== 'desktop') {
      // Close the sheet, then tap the highlighted words: the sheet opens on that thread.
      await bruno.page.locator('.sheet-toggle').click();
      await expect(bruno.page.locator('.comments-panel')).not.toHaveClass(/open/);
      const field = bruno.page.locator('#tor-synergies');
      const at = (await field.inputValue()).indexOf('UNODC') + 2;
      await field.click();
      await field.evaluate((el: HTMLTextAreaElement, i) => el.setSelectionRange(i, i), at);
      await field.dispatchEvent('mouseup');
      await expect(bruno.page.locator('.comments-panel')).toHaveClass(/open/);
      await expect(bruno.page.locator('.thread.active')).toContainText('UNODC');
    }
    expect(anna.dialogs).toEqual([]);
    expect(bruno.dialogs).toEqual([]);
  });

  test('a comment whose words are deleted becomes an orphan, keeps its words, and can be re-attached', async ({ people }, info) => {
    const { anna, bruno } = await pair(people, info);
    await anna.page.locator('#tor-existing_work').fill('UNODC has a manual. EMCDDA reviews it.');
    await expect(bruno.page.locator('#tor-existing_work')).toHaveValue('UNODC has a manual. EMCDDA reviews it.');
    await comment(anna.page, 'existing_work', 'has a manual', 'Link it?');
    await expect(marks(bruno.page, 'existing_work')).toHaveText(['has a manual']);

    // Bruno deletes the sentence; the comment is not lost: it is an orphan, for both.
    await bruno.page.locator('#tor-existing_work').fill('EMCDDA reviews it.');
    await expect(marks(anna.page, 'existing_work')).toHaveCount(0);
    await showPanel(anna.page);
    await anna.page.locator('.filters').getByRole('button', { name: /Orphaned/ }).click();
    await expect(thread(anna.page, 'Link it?')).toContainText('the words were deleted: “has a manual”');

    // Anna re-attaches it to other words.
    const field = anna.page.locator('#tor-existing_work');
    await field.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 6));
    await thread(anna.page, 'Link it?').getByLabel('Section to re-attach to').selectOption({ label: '(i) Existing work by other organisations' });
    await thread(anna.page, 'Link it?').getByRole('button', { name: 'Re-attach to the words selected there' }).click();
    await anna.page.getByRole('button', { name: 'Re-attach', exact: true }).click();
    await expect(marks(bruno.page, 'existing_work')).toHaveText(['EMCDDA'], { timeout: 1_000 });
  });
});
