import type { Page } from '@playwright/test';

/**
 * Holds back the app's JavaScript (as a slow phone network would) until `release` is called, so a test can act on
 * the server-rendered page before it is hydrated.
 */
export async function holdAppScript(page: Page): Promise<() => void> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}
