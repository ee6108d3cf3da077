import { describe, expect, it } from 'vitest';
import { LOGIN_WINDOW_MINUTES, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_IP, MAX_FAILURES_PER_IP, blockFor } from './rate-limit';

const minutes = LOGIN_WINDOW_MINUTES;

describe('blockFor', () => {
	it('lets an attempt through below every limit', () => {
		expect(blockFor({ accountFromIp: MAX_FAILURES_PER_ACCOUNT_AND_IP - 1, ip: MAX_FAILURES_PER_IP - 1, account: MAX_FAILURES_PER_ACCOUNT - 1 })).toBeNull();
	});

	it('refuses an address that reached the limit on this account, or in all', () => {
		expect(blockFor({ accountFromIp: MAX_FAILURES_PER_ACCOUNT_AND_IP, ip: MAX_FAILURES_PER_ACCOUNT_AND_IP, account: MAX_FAILURES_PER_ACCOUNT_AND_IP })).toEqual({ reason: 'accountFromIp', minutes });
		expect(blockFor({ accountFromIp: 0, ip: MAX_FAILURES_PER_IP, account: 0 })).toEqual({ reason: 'ip', minutes });
	});

	it('past the account-wide limit, refuses addresses that failed on the account but not fresh ones (the owner)', () => {
		expect(blockFor({ accountFromIp: 1, ip: 1, account: MAX_FAILURES_PER_ACCOUNT })).toEqual({ reason: 'accountFromIp', minutes });
		expect(blockFor({ accountFromIp: 0, ip: 0, account: MAX_FAILURES_PER_ACCOUNT * 10 })).toBeNull();
	});
});
