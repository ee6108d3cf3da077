import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { PASSWORD } from './session';

/** The screens people use in a sitting (issue 23): the desk, the chair's tablet, a delegate's phone, the hall. */
export const SIZES = {
	desktop: { width: 1366, height: 768 },
	tablet: { width: 1024, height: 768 },
	phone: { width: 390, height: 844 },
	hall: { width: 1920, height: 1080 }
} as const;

export type Size = keyof typeof SIZES;

export interface Person {
	context: BrowserContext;
	page: Page;
	/** e.g. "chủ tọa (tablet 1024×768)": names the screen in failure messages and screenshots. */
	label: string;
}

function baseURL(): string {
	const url = test.info().project.use.baseURL;
	if (!url) throw new Error('baseURL is not configured');
	return url;
}

/**
 * A browser context of its own at one screen size (touch on the phone and the tablet). With a username the person
 * signs in on the login page, as they would, and lands on `next` (the home page by default); without one it is a
 * visitor who is not signed in.
 */
export async function personAt(browser: Browser, size: Size, label: string, username?: string, next = '/'): Promise<Person> {
	const context = await browser.newContext({
		baseURL: baseURL(),
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		viewport: SIZES[size],
		hasTouch: size === 'phone' || size === 'tablet'
	});
	const page = await context.newPage();
	const who = `${label} (${size} ${SIZES[size].width}×${SIZES[size].height})`;
	if (username) await signIn(page, username, next);
	return { context, page, label: who };
}

/** Signs in through the login form and waits for the page it leads to, hydrated. */
export async function signIn(page: Page, username: string, next = '/'): Promise<void> {
	await page.goto(`/login?next=${encodeURIComponent(next)}`);
	await hydrated(page);
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page).toHaveURL((url) => url.pathname === next.split('?')[0]);
	await hydrated(page);
}

/** The page's handlers are attached (the root layout marks it), so a click does what it says. */
export async function hydrated(page: Page): Promise<void> {
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * What keeps the page from fitting its screen: width beyond the viewport (sideways scroll); and for every visible,
 * enabled control inside `within` (the main content by default; an open dialog when one is) — a control that lies
 * beyond the screen's left or right edge as laid out, or that, once scrolled into view, is not what a tap at its
 * centre hits (something lies over it). One line per problem, naming the control.
 */
export async function fitProblems(page: Page, within = 'main'): Promise<string[]> {
	return page.evaluate((selector) => {
		const name = (el: Element) => {
			const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
			const id = el.id ? `#${el.id}` : '';
			const cls = [...el.classList].map((c) => `.${c}`).join('');
			return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text.slice(0, 60)}"` : ''}`;
		};
		const problems: string[] = [];
		const width = window.innerWidth;
		const scrollWidth = document.documentElement.scrollWidth;
		if (scrollWidth > width) problems.push(`the page scrolls sideways: ${scrollWidth} px wide in a ${width} px viewport`);
		const root = document.querySelector(selector);
		if (!root) return [...problems, `nothing matches ${selector}`];
		const controls = root.querySelectorAll<HTMLElement>('button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"]');
		for (const el of controls) {
			if (el.matches(':disabled')) continue;
			const laidOut = el.getBoundingClientRect();
			// Not rendered (a closed <details>, a visually hidden 1 px box) or not meant to be tapped: not a control on screen.
			if (laidOut.width <= 1 || laidOut.height <= 1) continue;
			if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) || getComputedStyle(el).pointerEvents === 'none') continue;
			if (laidOut.left < -0.5 || laidOut.right > width + 0.5) {
				problems.push(`${name(el)} is off screen sideways (${Math.round(laidOut.left)}–${Math.round(laidOut.right)} px of ${width})`);
				continue;
			}
			el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
			const r = el.getBoundingClientRect();
			const x = r.left + r.width / 2;
			const y = r.top + Math.min(r.height, window.innerHeight) / 2;
			if (x < 0 || y < 0 || x >= width || y >= window.innerHeight) {
				problems.push(`${name(el)} cannot be scrolled into view (centre at ${Math.round(x)}, ${Math.round(y)})`);
				continue;
			}
			const hit = document.elementFromPoint(x, y);
			// A label over its own input is the same control.
			if (hit && (hit === el || el.contains(hit) || (hit instanceof HTMLLabelElement && hit.control === el))) continue;
			problems.push(`${name(el)} is covered by ${hit ? name(hit) : 'nothing (outside the document)'}`);
		}
		window.scrollTo({ left: 0, top: 0, behavior: 'instant' });
		return problems;
	}, within);
}

/**
 * The screen fits (issue 23): no sideways scroll, and every control of the main content (or of `within`) is on screen
 * and not covered. Soft assertions, so one run names every screen that does not fit, and the test still fails. The
 * whole page is kept as a screenshot with the test's output (looked at, not compared pixel by pixel).
 */
export async function expectFitsScreen(person: Person, step: string, options: { within?: string } = {}): Promise<void> {
	const { page } = person;
	await hydrated(page);
	const what = `${person.label}: ${step}`;
	expect.soft(await fitProblems(page, options.within ?? 'main'), what).toEqual([]);
	const slug = what
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/gi, 'd')
		.replace(/[^a-z0-9]+/gi, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase();
	// Written to the test's output folder and attached by path, so the JSON report names the file, not its bytes.
	const path = test.info().outputPath(`${slug}.png`);
	await page.screenshot({ path, fullPage: true });
	await test.info().attach(slug, { path, contentType: 'image/png' });
}
