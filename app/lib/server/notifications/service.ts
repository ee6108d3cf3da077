import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database } from '../../../../db/schema.js';
import { CITY_EVENTS_CHANNEL } from './channel';

type Writer = Db | Transaction<Database>;

export interface NewNotification {
	userIds: string[];
	kind: string;
	title: string;
	body?: string;
	link?: string | null;
	councilId?: string | null;
}

export interface NotificationView {
	id: string;
	kind: string;
	title: string;
	body: string;
	link: string | null;
	councilId: string | null;
	createdAt: string;
	readAt: string | null;
}

type Row = { id: string; kind: string; title: string; body: string; link: string | null; council_id: string | null; created_at: Date; read_at: Date | null };

export function toView(r: Row): NotificationView {
	return { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, councilId: r.council_id, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null };
}

/** Stores one notification per user and wakes their notification centres (NOTIFY at commit). */
export async function notifyUsers(db: Writer, n: NewNotification): Promise<number> {
	const userIds = [...new Set(n.userIds)];
	if (userIds.length === 0) return 0;
	// One statement stores them all and wakes every recipient: it runs inside the caller's transaction (a vote
	// opening holds its sitting's lock), which a round trip per delegate would keep for thirty of them.
	const { stored } = await db
		.with('stored', (w) =>
			w
				.insertInto('notifications')
				.values(userIds.map((user_id) => ({ user_id, kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, council_id: n.councilId ?? null })))
				.returning(['id', 'user_id'])
		)
		.selectFrom('stored')
		.select(sql<number>`count(pg_notify(${CITY_EVENTS_CHANNEL}, 'n:' || stored.user_id || ':' || stored.id))::int`.as('stored'))
		.executeTakeFirstOrThrow();
	return stored;
}

/** Tells every dashboard that a council's figures changed. */
export async function councilChanged(db: Writer, councilId: string): Promise<void> {
	await sql`select pg_notify(${CITY_EVENTS_CHANNEL}, ${`c:${councilId}`})`.execute(db);
}

/** Tells the screens following a consultation's result that it changed (delivered at commit). */
export async function consultationChanged(db: Writer, consultationId: string): Promise<void> {
	await sql`select pg_notify(${CITY_EVENTS_CHANNEL}, ${`k:${consultationId}`})`.execute(db);
}

export async function listNotifications(db: Db, userId: string, opts: { unreadOnly?: boolean; limit?: number } = {}) {
	let q = db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'link', 'council_id', 'created_at', 'read_at']).where('user_id', '=', userId);
	if (opts.unreadOnly) q = q.where('read_at', 'is', null);
	const [rows, unread] = await Promise.all([
		q.orderBy('created_at', 'desc').limit(opts.limit ?? 50).execute(),
		db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow()
	]);
	return { items: rows.map(toView), unread: unread.n };
}

export async function getNotification(db: Db, userId: string, id: string): Promise<NotificationView | null> {
	const r = await db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'link', 'council_id', 'created_at', 'read_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
	return r ? toView(r) : null;
}

/** Marks the caller's notifications read (some, or all); others' notifications are never touched. */
export async function markRead(db: Db, userId: string, ids: string[] | 'all'): Promise<{ updated: number; unread: number }> {
	let q = db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
	if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
	const res = await q.executeTakeFirst();
	const unread = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
	return { updated: Number(res.numUpdatedRows), unread: unread.n };
}

/** Users holding a role in a council (active). */
export async function councilUserIds(db: Writer, councilId: string, roles: ('delegate' | 'chair' | 'secretary' | 'clerk')[]): Promise<string[]> {
	const rows = await db.selectFrom('council_members').select('user_id').where('council_id', '=', councilId).where('role', 'in', roles).where('active', '=', true).execute();
	return rows.map((r) => r.user_id);
}

export async function cityMonitorIds(db: Writer): Promise<string[]> {
	return (await db.selectFrom('city_roles').select('user_id').where('role', '=', 'monitor').execute()).map((r) => r.user_id);
}
