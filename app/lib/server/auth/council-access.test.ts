import { describe, expect, it } from 'vitest';
import type { CityRole, CouncilRole } from '../../../../db/schema.js';
import { AppError } from '../errors';
import { READERS, checkCouncilAccess, hasCouncilAccess } from './council-access';
import type { AuthUser } from './current-user';

const WARD = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function user(councilRoles: CouncilRole[], cityRoles: CityRole[] = []): AuthUser {
	return {
		id: 'u',
		username: 'u',
		fullName: 'U',
		cityRoles,
		councils: councilRoles.length
			? [
					{
						councilId: WARD,
						councilCode: '26743',
						councilName: 'Phường',
						councilKind: 'ward',
						roles: councilRoles
					}
				]
			: []
	};
}

function refusal(fn: () => unknown) {
	try {
		fn();
	} catch (err) {
		return err instanceof AppError ? { code: err.code, i18nKey: err.i18nKey } : err;
	}
	return 'allowed';
}

const CHAIR_ONLY = { roles: ['chair'] } as const;
const FORBIDDEN = { code: 'FORBIDDEN', i18nKey: 'auth.forbidden' };

describe('checkCouncilAccess', () => {
	it('lets a council role in, in its own council only', () => {
		expect(checkCouncilAccess(user(['chair', 'delegate']), WARD, CHAIR_ONLY)).toEqual({
			councilId: WARD,
			councilRoles: ['chair', 'delegate'],
			viaCityRole: false
		});
		expect(refusal(() => checkCouncilAccess(user(['chair']), OTHER, CHAIR_ONLY))).toEqual(FORBIDDEN);
		expect(refusal(() => checkCouncilAccess(user(['delegate']), WARD, CHAIR_ONLY))).toEqual(FORBIDDEN);
	});

	it('lets a city role in only where the access names it, and says so', () => {
		expect(checkCouncilAccess(user([], ['monitor']), OTHER, READERS)).toEqual({
			councilId: OTHER,
			councilRoles: [],
			viaCityRole: true
		});
		expect(checkCouncilAccess(user(['delegate'], ['admin']), WARD, READERS)).toEqual({
			councilId: WARD,
			councilRoles: ['delegate'],
			viaCityRole: false
		});
		expect(refusal(() => checkCouncilAccess(user([], ['admin']), WARD, CHAIR_ONLY))).toEqual(FORBIDDEN);
	});

	it('refuses a user with no role at all', () => {
		expect(refusal(() => checkCouncilAccess(user([]), WARD, READERS))).toEqual(FORBIDDEN);
	});
});

describe('hasCouncilAccess', () => {
	it('answers as checkCouncilAccess does', () => {
		const cases: [AuthUser, string, { roles: readonly CouncilRole[]; cityRoles?: readonly CityRole[] }][] = [
			[user(['chair']), WARD, CHAIR_ONLY],
			[user(['chair']), OTHER, CHAIR_ONLY],
			[user(['delegate']), WARD, CHAIR_ONLY],
			[user([], ['monitor']), OTHER, READERS],
			[user([], ['admin']), WARD, CHAIR_ONLY],
			[user(['site_operator']), WARD, READERS],
			[user([]), WARD, READERS]
		];
		expect(cases.map(([u, c, a]) => hasCouncilAccess(u, c, a))).toEqual(cases.map(([u, c, a]) => refusal(() => checkCouncilAccess(u, c, a)) === 'allowed'));
		expect(cases.map(([u, c, a]) => hasCouncilAccess(u, c, a))).toEqual([true, false, false, true, false, true, false]);
	});
});
