import { describe, expect, it } from 'vitest';
import { MAX_BATCH_CALLS, batchRefusal } from './api-batch';

const batch = new URLSearchParams('batch=1');
const calls = (path: string, n: number) => Array.from({ length: n }, () => path).join(',');

describe('batchRefusal', () => {
	it('lets a batch of up to MAX_BATCH_CALLS calls through and refuses a larger one', () => {
		expect(batchRefusal(calls('council.list', MAX_BATCH_CALLS), batch)).toBeNull();
		expect(batchRefusal(calls('council.list', MAX_BATCH_CALLS + 1), batch)).toEqual({ i18nKey: 'error.batchTooLarge', params: { max: MAX_BATCH_CALLS } });
	});

	it('refuses a batch that carries a login or logout among other calls', () => {
		expect(batchRefusal('auth.login,auth.login', batch)).toEqual({ i18nKey: 'auth.batchAlone' });
		expect(batchRefusal('auth.me,auth.logout', batch)).toEqual({ i18nKey: 'auth.batchAlone' });
		expect(batchRefusal('council.list,auth.login', batch)).toEqual({ i18nKey: 'auth.batchAlone' });
	});

	it('lets a login sent as a batch of one, auth.me among other reads, and unbatched calls through', () => {
		expect(batchRefusal('auth.login', batch)).toBeNull();
		expect(batchRefusal('auth.me,council.list', batch)).toBeNull();
		expect(batchRefusal('auth.login', new URLSearchParams())).toBeNull();
	});
});
