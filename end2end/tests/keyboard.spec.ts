// Keyboard use (desktop projects only: phones have no Tab key).
import { test, expect } from './fixtures';

test('the keyboard reaches the skip link first and it moves focus to the content', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  if (javaScriptEnabled) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline, 'focus is visible').not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('the matrix filter works from the keyboard alone', async ({ page, javaScriptEnabled }) => {
  await page.goto('/matrix');
  if (javaScriptEnabled) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await page.getByLabel('Output').focus();
  await page.keyboard.press('ArrowDown'); // "Policy paper"
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Filter' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]output=policy_paper/);
  await expect(page.locator('tr.action')).toHaveCount(3);
});
