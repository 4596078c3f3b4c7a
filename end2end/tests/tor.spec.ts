// Terms of reference drafted together: two people live, presence and carets, one of them
// offline (reload included), and a ToR never visited opened offline. Runs hydrated on desktop
// and phone; without JavaScript only the page's frame is checked.
import { type Page } from '@playwright/test';
import { test, expect, DRAFTER, signIn, account, storedKeys, watchLoads, type People } from './fixtures';

/** Each project works on its own documents, so runs never see each other's text. */
const DOCS: Record<string, { live: string; offline: string; unvisited: string; full: string }> = {
  desktop: { live: 'nps', offline: 'stimulants', unvisited: 'mednet', full: 'human-rights-coherent-policy' },
  phone: { live: 'online-addictions', offline: 'screening-tools', unvisited: 'south-east-europe', full: 'coherent-drug-policy-means' },
  'phone-390': { live: 'reducing-stigma', offline: 'preventing-risks', unvisited: 'prevention-prize', full: 'outcomes-costs-consequences' },
};

/** Most a section holds (app::doc::MAX_SECTION_UNITS). */
const SECTION_LIMIT = 30_000;

async function ready(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  const field = page.locator('textarea[data-section]').first();
  if (await field.count()) {
    await expect(field).toBeEditable();
    // The fields take typing before the editor's own file has loaded: wait for all of it.
    await expect(page.locator('.tor-editor')).toHaveAttribute('data-editor', 'ready', { timeout: 15_000 });
  }
}

/** Someone drafting (a Secretariat editor, signed in) in a browser context of their own. */
async function person(people: People, name: string, path: string) {
  const { context, page } = await people.signedIn(name, DRAFTER);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(path);
  await ready(page);
  // Signed in, people appear under their account's name: nothing to type.
  await expect(page.locator('.name-field')).toHaveText(`Others see you as ${name}.`);
  await expect(page.getByLabel('Your name, as others see it')).toHaveCount(0);
  return { context, page, errors };
}

/** The service worker controls the page and keeps this document's page and the editor's file, and the document is stored. */
async function readyForOffline(page: Page, doc: string) {
  await expect
    .poll(
      async () => {
        const stored = (await storedKeys(page)).some((key) => key.endsWith(`:doc:tor/${doc}`));
        const kept = await page.evaluate(async (doc) => {
          const registration = await navigator.serviceWorker.ready;
          const kept = await caches.match(`${location.origin}/tor/${doc}`);
          // The editor's own wasm file, which no page names (public/sw.js, withReferences).
          let editor = false;
          for (const name of await caches.keys())
            editor ||= (await (await caches.open(name)).keys()).some((request) => /\/pkg\/split_tor_editor[^/]*\.wasm$/.test(request.url));
          return Boolean(registration.active && kept && editor);
        }, doc);
        return stored && kept;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** Whether the server answers a fetch from the page (through the service worker). */
function networkReachable(page: Page) {
  return page.evaluate(() => fetch('/healthz', { cache: 'no-store' }).then((r) => r.ok, () => false));
}

function projectDocs(name: string) {
  const docs = DOCS[name];
  test.skip(!docs, 'hydrated projects only');
  return docs!;
}

test.describe('terms of reference', () => {
  test('reached from the matrix; without JavaScript the sections show the stored text', async ({ people, page, javaScriptEnabled }, info) => {
    test.skip(javaScriptEnabled, 'no-JavaScript projects');
    // Someone with JavaScript writes into the document first.
    const writer = await people.context({ javaScriptEnabled: true });
    await signIn(writer, account('Writer', DRAFTER));
    const writerPage = await writer.newPage();
    await writerPage.goto('/tor/nps');
    await ready(writerPage);
    const words = `Seen without JavaScript (${info.project.name}) <b>not bold</b>`;
    await writerPage.locator('#tor-expected_outcome').fill(words);
    await expect(writerPage.locator('.sync-status')).toContainText('all changes synced');
    await writer.close();

    await signIn(page.context(), account('Reader'));
    await page.goto('/matrix');
    await page.getByRole('link', { name: 'ToR of Challenges and responses related to NPS' }).click();
    await expect(page).toHaveURL(/\/tor\/nps$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Challenges and responses related to NPS');
    await expect(page.locator('textarea[data-section]')).toHaveCount(9);
    await expect(page.getByLabel('Expected outcome')).toHaveValue(words);
    await expect(page.getByLabel('Expected outcome')).not.toBeEditable();
    await expect(page.getByLabel('Outputs'), 'pre-filled from the matrix').toHaveValue('Statement');
  });

  test('the editor loads from its own file after the page is interactive; a failed load says so and can be retried', async ({ people }, info) => {
    const docs = projectDocs(info.project.name);
    // No service worker: every request of the page reaches the network (and the route below).
    const context = await people.context({ serviceWorkers: 'block' });
    await signIn(context, account('Loader', DRAFTER));
    const page = await context.newPage();
    const { wasm, errors } = watchLoads(page);
    const editorFile = /\/pkg\/split_tor_editor[^/]*\.wasm$/;

    // A page without a ToR never asks for the editor's file.
    await page.goto(`/actions/${docs.full}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    expect(wasm.length, 'the main bundle').toBeGreaterThan(0);
    expect(wasm.filter((path) => editorFile.test(path))).toEqual([]);

    // The editor's file does not arrive: the page is interactive, the fields take typing all
    // the same (from the main file), and the status line says what is missing.
    let refuse = true;
    await page.route(editorFile, (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
    await page.goto(`/tor/${docs.full}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    const status = page.locator('.editor-status');
    await expect(status).toContainText('Comments and suggestions could not be loaded', { timeout: 15_000 });
    await expect(page.locator('textarea[data-section]')).toHaveCount(9);
    const scope = page.locator('#tor-scope');
    await expect(scope).toBeEditable({ timeout: 15_000 });
    const before = `Typed before the editor (${info.project.name}).`;
    await scope.press('End');
    await scope.pressSequentially(before);
    await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });

    // Back online: trying again loads it over what was typed, which stays, and typing goes on.
    refuse = false;
    await status.getByRole('button', { name: 'Try again' }).click();
    await expect(status).toHaveText('', { timeout: 15_000 });
    await expect(scope).toBeEditable();
    await expect(scope).toHaveValue(new RegExp(`${before.replace(/[()]/g, '\\$&')}$`));
    const after = ' And after it.';
    await scope.press('End');
    await scope.pressSequentially(after);
    await expect(scope).toHaveValue(new RegExp(`${(before + after).replace(/[()]/g, '\\$&')}$`));
    await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
    const reader = await people.signedIn('Checker', DRAFTER);
    await reader.page.goto(`/tor/${docs.full}`);
    await expect(reader.page.locator('#tor-scope')).toHaveValue(new RegExp(`${(before + after).replace(/[()]/g, '\\$&')}$`), { timeout: 15_000 });
    expect(wasm.filter((path) => editorFile.test(path)).length, 'refused once, then loaded').toBe(2);
    expect(errors).toEqual([]);
  });

  test('two people edit one section at once and converge; each sees the other', async ({ people }, info) => {
    const docs = projectDocs(info.project.name);
    const anna = await person(people, 'Anna', `/tor/${docs.live}`);
    const bruno = await person(people, 'Bruno', `/tor/${docs.live}`);

    // Presence: each sees the other under their account's name, nobody as a guest.
    await expect(anna.page.locator('.people')).toContainText('Bruno', { timeout: 5_000 });
    await expect(bruno.page.locator('.people')).toContainText('Anna', { timeout: 5_000 });
    await expect(anna.page.locator('.people')).not.toContainText('Guest');

    // Both type into the same section, at the same place (its start), at the same time:
    // the two texts merge whole, never letter by letter.
    const annaScope = anna.page.locator('#tor-scope');
    const brunoScope = bruno.page.locator('#tor-scope');
    await annaScope.fill('Shared text.');
    await expect(brunoScope).toHaveValue('Shared text.');
    await annaScope.press('Control+Home');
    await brunoScope.press('Control+Home');
    await Promise.all([
      annaScope.pressSequentially('alpha words ', { delay: 15 }),
      brunoScope.pressSequentially('beta words ', { delay: 15 }),
    ]);
    await expect(async () => {
      const [a, b] = [await annaScope.inputValue(), await brunoScope.inputValue()];
      expect(a).toBe(b);
      expect(a).toContain('alpha words ');
      expect(a).toContain('beta words ');
    }).toPass({ timeout: 1_000, intervals: [50, 100, 100, 200] });

    // Anna's caret shows in Bruno's copy of the section, with her name.
    await annaScope.focus();
    await expect(bruno.page.locator('.tor-field .peer-caret').filter({ hasText: 'Anna' })).toHaveCount(1, { timeout: 3_000 });

    // Bruno typing at the start does not move Anna's caret from where she is typing.
    await annaScope.press('End');
    await brunoScope.press('Home');
    await brunoScope.pressSequentially('B: ');
    await expect(annaScope).toHaveValue(/^B: /);
    await annaScope.pressSequentially('end');
    await expect(annaScope).toHaveValue(/end$/);
    await expect(anna.page.locator('.sync-status')).toContainText('all changes synced');

    expect(anna.errors).toEqual([]);
    expect(bruno.errors).toEqual([]);
  });

  test('offline edits survive a reload and reach the other person when back online', async ({ people }, info) => {
    const docs = projectDocs(info.project.name);
    const anna = await person(people, 'Anna', `/tor/${docs.offline}`);
    const bruno = await person(people, 'Bruno', `/tor/${docs.offline}`);
    await readyForOffline(anna.page, docs.offline);

    await anna.context.setOffline(true);
    await expect(anna.page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 5_000 });
    await anna.page.locator('#tor-purpose').pressSequentially('Written on the plane.');
    await expect(anna.page.locator('.sync-status')).toContainText('not yet synced');

    // Closing and reopening the page with no network: the app and the words are still there.
    await anna.page.reload();
    await expect(anna.page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    expect(await networkReachable(anna.page), 'the page really is offline').toBe(false);
    await expect(anna.page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(anna.page.locator('#tor-purpose')).toHaveValue('Written on the plane.');
    await expect(anna.page.locator('.sync-status')).toContainText('not yet synced');
    await expect(bruno.page.locator('#tor-purpose')).toHaveValue('');

    await anna.context.setOffline(false);
    await expect(bruno.page.locator('#tor-purpose')).toHaveValue('Written on the plane.', { timeout: 15_000 });
    await expect(anna.page.locator('.sync-status')).toContainText('all changes synced', { timeout: 10_000 });
  });

  test('a ToR never visited opens offline, and what is typed there is kept', async ({ people }, info) => {
    const docs = projectDocs(info.project.name);
    const { context, page } = await people.signedIn('Traveller', DRAFTER);
    await page.goto('/');
    await ready(page);
    await readyForOffline(page, docs.unvisited);

    await context.setOffline(true);
    await page.goto(`/tor/${docs.unvisited}`);
    expect(await networkReachable(page), 'the page really is offline').toBe(false);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    await expect(page.getByRole('heading', { level: 1 })).not.toBeEmpty();
    await expect(page.getByText('Terms of reference', { exact: true })).toBeVisible();
    await page.locator('#tor-timespan').fill('2019–2022');
    await page.reload();
    await expect(page.locator('#tor-timespan')).toHaveValue('2019–2022', { timeout: 15_000 });
    await context.setOffline(false);
    await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  });

  test('a paste larger than a section stops at its limit, says so before, and nothing stops syncing', async ({ people }, info) => {
    const docs = projectDocs(info.project.name);
    const { page, context, errors } = await person(people, 'Paula', `/tor/${docs.full}`);
    const field = page.locator('#tor-existing_work');
    const count = page.locator('#tor-existing_work-count');
    await expect(count).toBeHidden();

    // Near the limit, the field says how much room is left (and the field points at it).
    await field.click();
    await page.keyboard.insertText('a'.repeat(25_000));
    await expect(count).toBeVisible();
    await expect(count).toHaveText('25,000 of 30,000 characters used; 5,000 left in this section.');
    await expect(field).toHaveAttribute('aria-describedby', /tor-existing_work-count/);

    // About 1.2 MB pasted: the field takes what fits, and says it is full.
    await page.keyboard.insertText('Pasted from a long report. '.repeat(45_000));
    await expect.poll(() => field.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(SECTION_LIMIT);
    await expect(count).toContainText('This section is full');

    // Everything reaches the server; a small edit afterwards too, here and in another ToR.
    await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
    await expect(page.locator('.sync-problem')).toHaveCount(0);
    const scope = page.locator('#tor-scope');
    await scope.fill('Small edit after the paste.');
    await page.goto(`/tor/${docs.live}`);
    await ready(page);
    await page.locator('#tor-timespan').fill(`Other ToR after the paste (${info.project.name})`);
    await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
    const stored = await (await context.request.get(`/_app/tor_text?id=${docs.full}`)).json();
    const sections: string[] = stored.sections;
    expect(sections[5].length).toBe(SECTION_LIMIT);
    expect(sections[1]).toBe('Small edit after the paste.');
    const other = await (await context.request.get(`/_app/tor_text?id=${docs.live}`)).json();
    expect(other.sections[4]).toBe(`Other ToR after the paste (${info.project.name})`);
    expect(errors).toEqual([]);
  });
});
