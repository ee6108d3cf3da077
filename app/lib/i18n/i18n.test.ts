import { describe, expect, it } from 'vitest';
import { translate } from './index';
import * as core from './messages/core';

describe('i18n', () => {
	it('speaks Vietnamese by default and fills parameters', () => {
		expect(translate('vi', 'auth.accountLocked', { minutes: 15 })).toBe(
			'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.'
		);
		expect(translate('en', 'login.title')).toBe('Log in');
	});

	it('has an English text for every Vietnamese key', () => {
		expect(Object.keys(core.en).sort()).toEqual(Object.keys(core.vi).sort());
	});

	it('shows the key itself for an unknown text, so a missing text is visible', () => {
		expect(translate('vi', 'no.such.key')).toBe('no.such.key');
	});
});

describe('one layer for every feature', () => {
	it('includes the domain rules’ messages', () => {
		expect(translate('vi', 'QUORUM_NOT_MET', { present: 19, seated: 30, required: 20 })).toContain('19/30');
	});
});
