// Group material: the Airports Group's ToR is there for a member of the group and absent for
// another signed-in account and for the signed-out, on pages, links and the sync socket.
// Also: signing in and out, local copies per account, an invitation accepted in the browser,
// and offline work kept through an ended session.
import { type Page } from '@playwright/test';
import { test, expect, account, admin, audit, DRAFTER, openMenu, PASSWORD, signIn, storedKeys } from './fixtures';

const DOC = 'airports-group';

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

test('the Airports Group ToR reaches its member and no one else', async ({ people, javaScriptEnabled }) => {
  const member = await people.signedIn('Officer', 'airports-group=editor');
  const outsider = await people.signedIn('Other');
  const { page: anonymous } = await people.signedOut();

  await member.page.goto('/permanent-activities');
  await member.page.getByRole('link', { name: 'Terms of reference of Airports Group' }).click();
  await expect(member.page).toHaveURL(new RegExp(`/tor/${DOC}$`));
  await expect(member.page.locator('h1')).toHaveText('Airports Group');

  for (const page of [outsider.page, anonymous]) {
    await page.goto('/permanent-activities');
    // MedNET's ToR is for any signed-in account, so the signed-out see no link to it either.
    await expect(page.locator('#mednet').getByRole('link', { name: /Terms of reference/ })).toHaveCount(page === anonymous ? 0 : 1);
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
    await anonymous.goto('/');
    expect(await syncAnswer(anonymous, 'mednet')).toBe(102);

    // Search finds words of the ToR for its member only.
    const word = `kestrel${Date.now()}`;
    await member.page.goto(`/tor/${DOC}`);
    await expect(member.page.locator('#tor-scope')).toBeEditable({ timeout: 15_000 });
    await member.page.locator('#tor-scope').fill(`Confidential: ${word} routes.`);
    await expect(member.page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
    await member.page.goto(`/search?q=${word}`);
    await expect(member.page.getByRole('link', { name: 'ToR of Airports Group' })).toBeVisible();
    for (const page of [outsider.page, anonymous]) {
      await page.goto(`/search?q=${word}`);
      await expect(page.getByText(`Nothing found in the programme for “${word}”.`)).toBeVisible();
      await expect(page.getByRole("heading", { name: "In terms of reference" })).toHaveCount(0);
      await expect(page.locator(`a[href="/tor/${DOC}"]`)).toHaveCount(0);
    }
  }
});

test('signing in and out through the page, with or without JavaScript', async ({ people, javaScriptEnabled }) => {
  const email = account('Reader');
  const { context, page } = await people.signedOut();
  await page.goto('/matrix');
  await openMenu(page);
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
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await openMenu(page);
  await expect(page.locator('.session-links').getByRole('link', { name: 'Sign in' })).toBeVisible();
  const session = await context.request.get('/api/v1/session');
  expect(await session.json()).toEqual({ signed_in: false });
});

test('local copies are per account, and signing out deletes them (and cached answers) after asking about unsynced changes', async ({ people, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'local copies exist only with JavaScript');
  const { context, page } = await people.signedIn('Writer', 'permanent-correspondents=editor');
  const account = (await context.cookies()).find((c) => c.name === 'pd_account')?.value;
  expect(account).toMatch(/^\d+$/);
  const mine = async () => (await storedKeys(page)).filter((k) => k.startsWith(`pd:${account}:doc:`));
  const signedOutKeys = async () => (await storedKeys(page)).filter((k) => k.startsWith('pd:doc:'));

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
  const kept = () => page.evaluate(async () => Boolean(await caches.match(location.href)));
  await expect.poll(kept, { message: 'the service worker keeps this page', timeout: 20_000 }).toBe(true);

  // Offline, a change waits: signing out is refused (it needs the server), says so, and keeps
  // everything.
  await context.setOffline(true);
  await page.locator('#tor-scope').press('End');
  await page.locator('#tor-scope').pressSequentially(' More.');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => asked).toContain('not on the server yet');
  expect(asked, 'offline, signing out is refused: the server must end the session').toContain('You are offline');
  expect(await mine()).not.toEqual([]);
  await expect(page.locator('.signed-in-as')).toHaveText('Writer');
  expect(await kept(), 'the kept page stays').toBe(true);

  // Back online and synced, signing out deletes this account's copies.
  await context.setOffline(false);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await openMenu(page);
  await expect(page.locator('.session-links').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect.poll(mine).toEqual([]);
  await expect.poll(cachedSession, { message: 'the cached answer naming the account is gone' }).not.toContain('Writer');
});

test('an invitation from a group manager makes an account once, with or without JavaScript', async ({ people, baseURL, javaScriptEnabled }, info) => {
  // Signed in with no page yet: without JavaScript the manager only uses the API.
  const manager = await people.context();
  await signIn(manager, account('MedNET manager', 'mednet=manager'));
  const invitee = `invitee-${Date.now()}-${info.project.name}@e2e.test`;
  // The delegation comes from the Secretariat's list, chosen by whoever invites.
  admin('delegation', 'add', 'Malta');
  let link: string;
  if (javaScriptEnabled) {
    // The groups page: the manager picks among the groups they manage.
    const page = await manager.newPage();
    await page.goto('/matrix');
    await openMenu(page);
    await page.locator('.session-links').getByRole('link', { name: 'Groups' }).click();
    await expect(page.locator('h1')).toHaveText('Groups');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
    await expect(page.getByLabel('Group').locator('option')).toHaveText(['MedNET']);
    await expect(page.getByRole('heading', { name: 'Audit log' }), 'for the Secretariat only').toHaveCount(0);
    await page.getByLabel('Their email').fill(invitee);
    await page.getByLabel('Role').selectOption('commenter');
    await page.getByLabel('Delegation').selectOption('Malta');
    await page.getByRole('button', { name: 'Make invitation link' }).click();
    const shown = await page.getByLabel('Invitation link').inputValue();
    expect(shown).toMatch(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{43}$`));
    link = new URL(shown).pathname;
  } else {
    // The page's form needs JavaScript; without it, the JSON API.
    const response = await manager.request.post('/api/v1/invitations', { data: { email: invitee, group: 'mednet', role: 'commenter', delegation: 'Malta' } });
    expect(response.status()).toBe(201);
    link = (await response.json()).link;
  }

  const { context, page } = await people.signedOut();
  await page.goto(link);
  await expect(page.locator('h1')).toHaveText('Accept your invitation');
  if (javaScriptEnabled) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await page.getByLabel('Your name, as others see it').fill('Nadia Newcomer');
  await page.getByLabel('Password (at least 12 characters)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Make my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.signed-in-as')).toHaveText('Nadia Newcomer');
  const me = await (await context.request.get('/api/v1/session')).json();
  expect(me.groups).toEqual([{ group: 'mednet', role: 'commenter' }]);
  expect(me.account.delegation).toBe('Malta');

  // A second use of the link is refused, and says why.
  const { page: second } = await people.signedOut();
  await second.goto(link);
  await second.getByLabel('Your name, as others see it').fill('Someone else');
  await second.getByLabel('Password (at least 12 characters)').fill(PASSWORD);
  await second.getByRole('button', { name: 'Make my account' }).click();
  await expect(second.getByRole('alert')).toContainText('This link does not work');
});

/** Per project, so that runs never share a document: one for the ended session, one for the
 * lost role. */
const OFFLINE_DOCS: Record<string, [string, string]> = {
  desktop: ['artificial-intelligence', 'ict-risks-potential'],
  phone: ['cost-assessment-tools', 'police-in-prevention'],
  'phone-390': ['drug-related-cybercrime', 'refugees-migrants'],
};

async function offlineEdit(page: Page, doc: string, words: string) {
  await page.goto(`/tor/${doc}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  await expect(page.locator('#tor-scope')).toBeEditable();
  // The page also fetches the list of ToRs to keep offline and pre-fills their outputs:
  // let that finish and sync too, so that only what is typed below waits offline.
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });
  await page.context().setOffline(true);
  await expect(page.locator('.sync-status')).toHaveClass(/offline/, { timeout: 10_000 });
  await page.locator('#tor-scope').fill(words);
  await expect(page.locator('.sync-status')).toContainText('not yet synced');
}

test('offline work survives a session ended meanwhile: signing in again sends it', async ({ people, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled || !OFFLINE_DOCS[info.project.name], 'hydrated projects only');
  const [doc] = OFFLINE_DOCS[info.project.name];
  const { context, page, email } = await people.signedIn('Traveller', DRAFTER);
  const words = `Typed on the train (${info.project.name}, ${Date.now()}), session ended meanwhile.`;
  await offlineEdit(page, doc, words);

  admin('sign-out', '--email', email);
  // The server re-reads sessions and roles at most every 2 s (server/src/gate/cache.rs): a reconnect within
  // that time may still get through, as the old session.
  await page.waitForTimeout(2_500);
  await context.setOffline(false);
  const notice = page.locator('.session-ended');
  await expect(notice).toContainText('You are no longer signed in here', { timeout: 15_000 });
  await expect(page.locator('#tor-scope')).toHaveValue(words);
  await expect(page.locator('.sync-status')).toContainText('not yet');

  await notice.getByRole('link', { name: 'sign in again' }).click();
  await expect(page.locator('h1')).toHaveText('Sign in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/tor/${doc}$`));
  await expect(page.locator('#tor-scope')).toHaveValue(words);
  await expect(page.locator('.sync-status')).toContainText('all changes synced', { timeout: 15_000 });

  // Someone else now reads what was typed offline.
  const { page: other } = await people.signedIn('Reader');
  await other.goto(`/tor/${doc}`);
  await expect(other.locator('#tor-scope')).toHaveValue(words, { timeout: 15_000 });
});

test('offline edits refused because the role was taken away meanwhile say so and stay on the device', async ({ people, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled || !OFFLINE_DOCS[info.project.name], 'hydrated projects only');
  const [, doc] = OFFLINE_DOCS[info.project.name];
  const { context, page, email } = await people.signedIn('Former editor', DRAFTER);
  const words = `Typed offline by a former editor (${info.project.name}, ${Date.now()}).`;
  await offlineEdit(page, doc, words);

  // A viewer still reads everything it read before, so only the edit is refused.
  admin('role', '--email', email, '--group', 'secretariat', '--role', 'viewer');
  await page.waitForTimeout(2_500);
  await context.setOffline(false);
  await expect(page.locator('.sync-problem')).toContainText(`You may not edit tor/${doc}`, { timeout: 15_000 });
  await expect(page.locator('.session-ended')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('#tor-scope')).toHaveValue(words);

  const { page: other } = await people.signedIn('Reader');
  await other.goto(`/tor/${doc}`);
  await expect(other.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(other.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
  await expect(other.locator('#tor-scope')).not.toHaveValue(words);
});

test('the groups page: the Secretariat reads the audit log; without a group to manage, nothing to invite into', async ({ people, javaScriptEnabled }) => {
  const { page } = await people.signedIn('Secretariat officer', 'secretariat=manager');
  await page.goto('/groups');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.locator('table.audit')).toContainText('signed in');
  // A Secretariat manager invites into any group.
  await expect(page.getByLabel('Group').locator('option')).toHaveCount(8);
  // The invitation form and the list of delegations fit a 390 px phone.
  await audit(page, javaScriptEnabled);

  const { page: other } = await people.signedIn('Member');
  await other.goto('/groups');
  await expect(other.getByText('You manage no group.')).toBeVisible();
  await expect(other.getByRole('heading', { name: 'Audit log' })).toHaveCount(0);
});

test('without an editor role the ToR text is read-only and the page says why; an editor may type', async ({ people, javaScriptEnabled }) => {
  const { page: readerPage } = await people.signedIn('Commenter', 'permanent-correspondents=commenter');
  const { page: editorPage } = await people.signedIn('Editor', 'permanent-correspondents=editor');
  for (const page of [readerPage, editorPage]) {
    await page.goto('/tor/national-drug-policies');
    if (javaScriptEnabled) {
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
      await expect(page.locator('.sync-status')).toHaveClass(/online/, { timeout: 10_000 });
    }
  }
  await expect(readerPage.getByRole('note')).toContainText('editing it takes an editor role');
  await expect(editorPage.getByRole('note')).toHaveCount(0);
  if (javaScriptEnabled) {
    await expect(editorPage.locator('#tor-scope')).toBeEditable();
    // The editor's fields became editable once the copy was ready; the commenter's stay read-only.
    await expect(readerPage.locator('#tor-scope')).not.toBeEditable();
  }
});

test('the Secretariat keeps the list of delegations on the groups page, with or without JavaScript', async ({ people, javaScriptEnabled }, info) => {
  const { page } = await people.signedIn('Keeper', 'secretariat=manager');
  const name = `Atlantis ${info.project.name} ${Date.now()}`;
  await page.goto('/groups');
  const section = page.getByRole('region', { name: 'Delegations' });
  await section.getByLabel('Add a delegation').fill(name);
  await section.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Delegations' }).getByRole('status')).toHaveText(`${name} is on the list.`);
  await expect(page.getByRole('region', { name: 'Delegations' }).getByText(name, { exact: true })).toBeVisible();
  await audit(page, javaScriptEnabled);
  await page.getByRole('button', { name: `Remove ${name}` }).click();
  await expect(page.getByRole('region', { name: 'Delegations' }).getByRole('status')).toHaveText(`${name} was removed from the list.`);
  await expect(page.getByRole('button', { name: `Remove ${name}` })).toHaveCount(0);
  // Others see no such section.
  const pc = (await people.signedIn('Manager of MedNET', 'mednet=manager')).page;
  await pc.goto('/groups');
  await expect(pc.getByRole('heading', { name: 'Invite someone' })).toBeVisible();
  await expect(pc.getByRole('region', { name: 'Delegations' })).toHaveCount(0);
});
