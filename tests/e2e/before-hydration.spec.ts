import { expect, test } from '@playwright/test';
import { holdAppScript } from './helpers/hold-script';
import { userPage } from './helpers/session';

// A page is usable from its server-rendered HTML before its script runs, but a button that needs the script would
// lose the click — or submit its form natively and reload the page empty. Such buttons take no click until the
// page is hydrated (app.css); forms that work without the script (a method and a server action) stay live.

test('before hydration a script-driven form’s button takes no click, a form with a method does; after it, both work', async ({ browser }) => {
	const delegate = await userPage(browser, 'delegate.27154.2');
	const { page } = delegate;
	const release = await holdAppScript(page);
	await page.goto('/petitions', { waitUntil: 'domcontentloaded' });
	const form = page.getByRole('form', { name: 'Ghi nhận kiến nghị' });
	const record = form.getByRole('button', { name: 'Ghi nhận' });
	await form.getByLabel('Lĩnh vực, chủ đề').fill('Đèn đường hẻm 7');
	const pointerEvents = (button: typeof record) => button.evaluate((el) => getComputedStyle(el).pointerEvents);
	expect(await pointerEvents(record)).toBe('none');
	// The language switch is a plain POST form: it works without the script, so it stays clickable.
	const language = page.locator('form[method] button').first();
	expect(await pointerEvents(language)).toBe('auto');
	// A click now would have reloaded the page with the petition gone: it does not reach the button.
	await expect(record.click({ timeout: 500 })).rejects.toThrow();

	release();
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	expect(await pointerEvents(record)).toBe('auto');
	await expect(form.getByLabel('Lĩnh vực, chủ đề')).toHaveValue('Đèn đường hẻm 7');
	await delegate.context.close();
});
