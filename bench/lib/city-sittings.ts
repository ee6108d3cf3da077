// The set-up the city-wide benchmarks share (bench/votes.ts, bench/secret-city.ts), none of it measured: a database
// of their own, sittings in progress with every delegate checked in, and sessions made directly.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb } from '../../db/client';
import { hashToken } from '../../app/lib/server/auth/session';
import { setAttendance } from '../../app/lib/server/sittings/attendance';
import { addAgendaItem, createSitting, setCurrentItem, transition } from '../../app/lib/server/sittings/service';
import { buildIfStale } from '../../scripts/build-if-stale';
import { ownDatabase } from '../../tests/helpers/own-database';
import { privateBuildCopy } from './private-build';

export type BenchDb = ReturnType<typeof createDb>['db'];

/** A sitting in progress, its current item, and the sessions of its chair, delegates and secretary. */
export interface BenchSitting {
	sittingId: string;
	itemId: string;
	councilId: string;
	chairId: string;
	chairCookie: string;
	/** Every delegate of the council (checked in), in the order of `delegateCookies`. */
	delegateIds: string[];
	delegateCookies: string[];
	/** The secretary's session: a screen that watches without voting. */
	observerCookie: string;
	/** Its place in the list set up. */
	index: number;
}

/**
 * The build (made if stale), a private copy of it for the app, and a PostgreSQL of the benchmark's own, migrated and
 * seeded with demo data. `close()` drops the database's data and the copy.
 */
export async function benchEnvironment(name: string, root: string, log: (m: string) => void) {
	buildIfStale(root, log);
	log('starting PostgreSQL and seeding demo data…');
	const database = await ownDatabase(name, 'bench/.tmp');
	const { db } = createDb(database.url, 10);
	const build = privateBuildCopy(root, name);
	return {
		database,
		db,
		build,
		close: async () => {
			await db.destroy();
			await database.stop();
			build.remove();
		}
	};
}

/** Sessions made directly: the benchmarks measure casting and delivery, not 5,000 argon2 logins. */
export async function sessions(db: BenchDb, userIds: string[]): Promise<string[]> {
	const tokens = userIds.map(() => randomBytes(32).toString('base64url'));
	const expires = new Date(Date.now() + 3600_000);
	for (let i = 0; i < userIds.length; i += 1000) {
		await db.insertInto('sessions').values(userIds.slice(i, i + 1000).map((u, j) => ({ token_hash: hashToken(tokens[i + j]), user_id: u, expires_at: expires, ip: 'bench', user_agent: 'bench' }))).execute();
	}
	return tokens.map((t) => `nts_session=${t}`);
}

/**
 * A sitting in progress in each of `limit` councils (the ward-level ones by code from `offset`, or the city
 * council), every delegate checked in, the one agenda item current.
 */
export async function setUpSittings(db: BenchDb, opts: { kind: 'ward' | 'city'; limit: number; offset?: number; log: (m: string) => void }): Promise<BenchSitting[]> {
	const councils = await db
		.selectFrom('councils')
		.select(['id', 'code'])
		.where('kind', opts.kind === 'city' ? '=' : '!=', 'city')
		.orderBy('code')
		.offset(opts.offset ?? 0)
		.limit(opts.limit)
		.execute();
	const plans: BenchSitting[] = [];
	for (const [i, council] of councils.entries()) {
		const members = await db
			.selectFrom('council_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['u.id', 'u.username', 'm.role'])
			.where('m.council_id', '=', council.id)
			.where('m.role', 'in', ['delegate', 'chair', 'secretary'])
			.execute();
		const chair = members.find((m) => m.role === 'chair')!;
		const secretary = members.find((m) => m.role === 'secretary')!;
		const delegates = members.filter((m) => m.role === 'delegate');
		const { id: sittingId } = await createSitting(db, { councilId: council.id, kind: 'regular', title: 'Kỳ họp đo tải', startsAt: new Date(), createdBy: chair.id });
		const { itemId } = await addAgendaItem(db, { sittingId, kind: 'submission', title: 'Dự thảo nghị quyết' });
		await transition(db, sittingId, 'convened', chair.id);
		for (const d of delegates) await db.transaction().execute((trx) => setAttendance(trx, { sittingId, userId: d.id, status: 'present_hall', by: d.id, source: 'self' }));
		await transition(db, sittingId, 'in_progress', chair.id);
		await setCurrentItem(db, sittingId, itemId);
		const cookies = await sessions(db, [...delegates.map((d) => d.id), secretary.id, chair.id]);
		plans.push({
			sittingId,
			itemId,
			councilId: council.id,
			chairId: chair.id,
			chairCookie: cookies[delegates.length + 1],
			delegateIds: delegates.map((d) => d.id),
			delegateCookies: cookies.slice(0, delegates.length),
			observerCookie: cookies[delegates.length],
			index: i
		});
		if ((i + 1) % 24 === 0) opts.log(`prepared ${i + 1}/${councils.length} sittings`);
	}
	return plans;
}

/** The sittings' event heads: where each screen resumes its stream from. */
export async function sittingHeads(db: BenchDb, sittingIds: string[]): Promise<Map<string, number>> {
	if (!sittingIds.length) return new Map();
	const heads = await db.selectFrom('sittings').select(['id', 'last_seq']).where('id', 'in', sittingIds).execute();
	return new Map(heads.map((h) => [h.id, Number(h.last_seq)]));
}

/**
 * The set-up just wrote many rows in seconds; a database in service would have had them analysed and vacuumed,
 * and its checkpoint would not fall inside the next ten seconds by chance.
 */
export async function settle(db: BenchDb): Promise<void> {
	await sql`vacuum analyze`.execute(db);
	await sql`checkpoint`.execute(db);
}
