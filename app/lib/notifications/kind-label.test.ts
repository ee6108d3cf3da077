import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { notificationKindLabel } from './kind-label';

describe('notification kind labels', () => {
	it('names the known kinds in both languages and shows any other as a plain notification', () => {
		expect(notificationKindLabel(translator('vi'), 'vote.opened')).toBe('Mở biểu quyết');
		expect(notificationKindLabel(translator('en'), 'sitting.convened')).toBe('Sitting convened');
		expect(notificationKindLabel(translator('vi'), 'something.new')).toBe('Thông báo');
	});
});
