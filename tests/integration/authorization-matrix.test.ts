import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, userIdOf } from '../helpers/callers';
import { createFixtures, type Fixtures } from '../helpers/matrix/fixtures';
import { ALL_ROLES, ROLES, changedTables, checksum, invoke, routerProcedures, type ProcedureType, type Role } from '../helpers/matrix/harness';
import { MATRIX } from '../helpers/matrix/table';

// Every procedure of the router × every role: the allowed roles get past authorisation (a business error such as
// CONFLICT or BAD_REQUEST is fine and recorded), everyone else is refused with exactly FORBIDDEN (signed in) or
// UNAUTHORIZED (anonymous), and the refused calls change nothing in the database.

const PROCEDURES = routerProcedures();
const observed = new Map<string, Partial<Record<Role, string>>>();

describe('authorization matrix', () => {
	let f: Fixtures;

	beforeAll(async () => {
		f = await createFixtures();
	}, 120_000);

	afterAll(() => {
		const header = `| procedure | ${ALL_ROLES.join(' | ')} |\n| --- | ${ALL_ROLES.map(() => '---').join(' | ')} |`;
		const rows = [...observed].map(([path, byRole]) => `| ${path} | ${ALL_ROLES.map((r) => byRole[r] ?? '').join(' | ')} |`);
		console.log(`authorization matrix (✓ = success; otherwise the error code; * = allowed role)\n${header}\n${rows.join('\n')}`);
	});

	it('enumerates every procedure of the router, each with a table entry', () => {
		expect(PROCEDURES.length).toBeGreaterThan(60);
		const missing = PROCEDURES.filter((p) => !MATRIX[p.path]).map((p) => `missing entry for ${p.path}`);
		expect(missing).toEqual([]);
		const stale = Object.keys(MATRIX).filter((path) => !PROCEDURES.some((p) => p.path === path)).map((path) => `entry for unknown procedure ${path}`);
		expect(stale).toEqual([]);
		expect(new Set(PROCEDURES.map((p) => p.type))).toEqual(new Set(['query', 'mutation', 'subscription']));
	});

	it.each(PROCEDURES)('$path ($type)', async ({ path, type }) => {
		const entry = MATRIX[path];
		expect(entry, `missing entry for ${path}`).toBeDefined();
		const byRole: Partial<Record<Role, string>> = {};
		observed.set(path, byRole);
		const problems: string[] = [];

		// Refused roles first, all around one snapshot: nothing may change.
		const refused = ALL_ROLES.filter((r) => !entry.allowed.includes(r));
		const before = await checksum();
		for (const role of refused) {
			const out = await invoke(ROLES[role], path, type, entry.input(f));
			const expected = role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
			byRole[role] = out.ok ? '✓' : out.code;
			if (out.ok) problems.push(`${role}: expected ${expected}, but the call succeeded`);
			else if (out.code !== expected) problems.push(`${role}: expected ${expected}, got ${out.code} (${out.message})`);
		}
		const changed = changedTables(before, await checksum());
		if (changed.length) problems.push(`refused calls changed tables: ${changed.join(', ')}`);

		// Then the allowed roles: past the guards, whatever the business answer (never a 500).
		for (const role of entry.allowed) {
			const out = await invoke(ROLES[role], path, type, entry.input(f));
			byRole[role] = `${out.ok ? '✓' : out.code}*`;
			if (!out.ok && (out.code === 'FORBIDDEN' || out.code === 'UNAUTHORIZED')) problems.push(`${role} is allowed, got ${out.code} (${out.message})`);
			if (!out.ok && (out.code === 'INTERNAL_SERVER_ERROR' || out.code.startsWith('NOT_A_TRPC_ERROR'))) problems.push(`${role}: ${out.code} (${String(out.error.cause ?? out.raw)})`);
		}
		expect(problems, path).toEqual([]);
	});

	// Beyond the nine roles: the rules that depend on who exactly (the requester, the assignee, an invited site…).
	// allowed: past the guards; false: FORBIDDEN; 'refused': any refusal but a 500 (an id from elsewhere).
	const EXTRA: { user: string; path: string; input: (f: Fixtures) => unknown; allowed: boolean | 'refused'; why: string }[] = [
		{ user: 'chair.26743', path: 'attendance.mark', input: (f) => ({ sittingId: f.live.sittingId, delegateId: f.otherDelegateId, status: 'present_hall' }), allowed: false, why: 'a delegate of another council' },
		{ user: 'chair.26743', path: 'sitting.setCurrentItem', input: (f) => ({ sittingId: f.live.sittingId, itemId: f.convened.reportId }), allowed: 'refused', why: 'an item of another sitting' },
		{ user: 'chair.26743', path: 'vote.open', input: (f) => ({ sittingId: f.live.sittingId, itemId: f.convened.itemId, question: 'Q', kind: 'open' }), allowed: 'refused', why: 'an item of another sitting' },
		{ user: 'chair.26743', path: 'floor.move', input: (f) => ({ sittingId: f.convened.sittingId, requestId: f.grantableRequestId, index: 0 }), allowed: 'refused', why: 'a request of another sitting' },
		{ user: 'delegate.26743.3', path: 'floor.withdraw', input: (f) => ({ requestId: f.withdrawableRequestId }), allowed: false, why: 'only the requester withdraws' },
		{ user: 'delegate.26743.2', path: 'followup.report', input: (f) => ({ taskId: f.taskId, percent: 20, text: 'x' }), allowed: false, why: 'not the assignee' },
		{ user: 'chair.26743', path: 'resolution.importCertificate', input: (f) => ({ councilId: f.ward, userId: f.delegateId, p12Base64: 'AAECAwQF', passphrase: 'x' }), allowed: false, why: 'for someone else: admin only' },
		{ user: 'clerk.26743', path: 'resolution.importCertificate', input: (f) => ({ councilId: f.ward, kind: 'organisation', p12Base64: 'AAECAwQF', passphrase: 'x' }), allowed: true, why: 'the clerk, organisation certificate' },
		{ user: 'admin', path: 'resolution.importCertificate', input: (f) => ({ councilId: f.ward, userId: f.delegateId, p12Base64: 'AAECAwQF', passphrase: 'x' }), allowed: true, why: 'an admin for anyone' },
		{ user: 'site.26737', path: 'conference.get', input: (f) => ({ conferenceId: f.wardConferenceId }), allowed: true, why: 'the site operator of an invited ward' },
		{ user: 'site.26740', path: 'conference.get', input: (f) => ({ conferenceId: f.wardConferenceId }), allowed: false, why: 'a ward that is not invited' },
		{ user: 'site.26737', path: 'conference.sites', input: (f) => ({ conferenceId: f.wardConferenceId }), allowed: false, why: 'sites: organisers only' },
		{ user: 'site.26737', path: 'conference.raiseHand', input: (f) => ({ conferenceId: f.cityConferenceId }), allowed: true, why: 'an invited site' },
		{ user: 'site.26740', path: 'conference.raiseHand', input: (f) => ({ conferenceId: f.cityConferenceId }), allowed: false, why: 'a ward that is not invited' },
		{ user: 'delegate.26737.1', path: 'media.token', input: (f) => ({ roomKind: 'conference', id: f.cityConferenceId }), allowed: false, why: 'a delegate of an invited ward is not its site' },
		{ user: 'site.26743', path: 'media.token', input: (f) => ({ roomKind: 'conference', id: f.cityConferenceId }), allowed: true, why: 'the site operator of an invited ward' },
		{ user: 'chair.city', path: 'conference.end', input: (f) => ({ conferenceId: f.wardConferenceId }), allowed: false, why: 'the chair of another council' },
		{ user: 'monitor.city', path: 'consultation.create', input: (f) => ({ councilId: f.city, title: 'Ý kiến', question: '?', deadline: new Date(Date.now() + 3_600_000) }), allowed: true, why: 'the monitor, for the city council' },
		{ user: 'chair.26737', path: 'petition.assign', input: (f) => ({ petitionId: f.petitionId, agency: 'x' }), allowed: false, why: 'the chair of another council' },
		{ user: 'chair.26737', path: 'vote.close', input: (f) => ({ voteId: f.openVoteId }), allowed: false, why: 'the chair of another council' },
		{ user: 'chair.26737', path: 'sitting.get', input: () => ({ sittingId: '00000000-0000-4000-8000-000000000000' }), allowed: false, why: 'an unknown id is answered like a forbidden one' }
	];

	it.each(EXTRA)('$path as $user: $why', async ({ user, path, input, allowed }) => {
		const type = PROCEDURES.find((p) => p.path === path)?.type as ProcedureType;
		const before = await checksum();
		const out = await invoke(user, path, type, input(f));
		if (allowed === 'refused') {
			expect(out.ok ? 'success' : out.code).not.toMatch(/^(success|INTERNAL_SERVER_ERROR)$/);
			expect(changedTables(before, await checksum())).toEqual([]);
		} else if (allowed) expect(out.ok || !['FORBIDDEN', 'UNAUTHORIZED', 'INTERNAL_SERVER_ERROR'].includes(out.code), out.ok ? '' : `${out.code} ${out.message}`).toBe(true);
		else {
			expect(out.ok ? 'success' : out.code).toBe('FORBIDDEN');
			expect(changedTables(before, await checksum())).toEqual([]);
		}
	});

	it('lists without a council show nothing of other councils (delegate of Tân Định)', async () => {
		const other = 'delegate.26737.1';
		const lists: [string, unknown, (v: unknown) => unknown[]][] = [
			['petition.list', undefined, (v) => v as unknown[]],
			['followup.list', undefined, (v) => v as unknown[]],
			['consultation.list', undefined, (v) => v as unknown[]],
			['conference.list', undefined, (v) => v as unknown[]],
			['sitting.upcoming', undefined, (v) => v as unknown[]],
			['directory.search', { q: '26743', limit: 200 }, (v) => v as unknown[]]
		];
		const leaks: string[] = [];
		for (const [path, input, rows] of lists) {
			const out = await invoke(other, path, 'query', input);
			if (!out.ok) {
				leaks.push(`${path}: ${out.code}`);
				continue;
			}
			const leaked = rows(out.value).filter((r) => {
				const row = r as { councilId?: string; councilCode?: string; id?: string };
				return row.councilId === f.ward || row.councilCode === '26743' || row.id === f.wardConferenceId || row.id === f.live.sittingId;
			});
			if (leaked.length) leaks.push(`${path}: ${leaked.length} rows of Bến Thành`);
		}
		expect(leaks).toEqual([]);
	});

	it('notification.markRead never touches another user’s notifications', async () => {
		const owner = await userIdOf('delegate.26743.5');
		const theirs = await db().selectFrom('notifications').select(['id', 'read_at']).where('user_id', '=', owner).execute();
		expect(theirs.length).toBeGreaterThan(0);
		const out = await invoke('delegate.26743.6', 'notification.markRead', 'mutation', { ids: theirs.map((n) => n.id) });
		expect(out.ok && (out.value as { updated: number }).updated).toBe(0);
		expect(await db().selectFrom('notifications').select(['id', 'read_at']).where('user_id', '=', owner).execute()).toEqual(theirs);
	});
});
