import { describe, expect, it } from 'vitest';
import { isOnScreen, showOnScreen } from './on-screen.svelte';

const notice = { kind: 'vote.opened', link: '/sittings/s1', title: 'Thông qua dự toán?' };

describe('on-screen notices', () => {
	it('holds back only the notice of what is shown, for as long as it is shown', () => {
		expect(isOnScreen(notice)).toBe(false);
		const first = showOnScreen(notice);
		const second = showOnScreen(notice); // two components showing the same ballot
		expect(isOnScreen(notice)).toBe(true);
		expect(isOnScreen({ ...notice, title: 'Another vote?' })).toBe(false);
		expect(isOnScreen({ ...notice, link: '/sittings/s2' })).toBe(false);
		expect(isOnScreen({ ...notice, link: null })).toBe(false);
		first();
		expect(isOnScreen(notice)).toBe(true);
		second();
		expect(isOnScreen(notice)).toBe(false);
	});
});
