/**
 * Shared plumbing of the authorisation matrix and the input fuzzer: the procedures as the router declares them,
 * callers for the demo roles, a uniform way to call any procedure (subscriptions included), and database
 * snapshots to prove that refused calls change nothing.
 */
import { getErrorShape, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { createContextInner } from '../../../app/lib/server/api/context';
import { createCallerFactory } from '../../../app/lib/server/api/init';
import { appRouter } from '../../../app/lib/server/api/root';
import { loadUser, type AuthUser } from '../../../app/lib/server/auth/current-user';
import { getDb } from '../../../app/lib/server/db';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** Every procedure of the app router (tRPC v11 keeps a flat record `path → procedure` in `_def.procedures`). */
export function routerProcedures(): { path: string; type: ProcedureType }[] {
	const record = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>;
	return Object.entries(record).map(([path, p]) => ({ path, type: p._def.type }));
}

export const ROLES = {
	anonymous: null,
	delegate: 'delegate.26743.1',
	otherDelegate: 'delegate.26737.1',
	chair: 'chair.26743',
	secretary: 'secretary.26743',
	clerk: 'clerk.26743',
	site: 'site.26743',
	monitor: 'monitor.city',
	admin: 'admin'
} as const;
export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

const createCaller = createCallerFactory(appRouter);
const users = new Map<string, AuthUser | null>();

async function userOf(username: string | null): Promise<AuthUser | null> {
	if (!username) return null;
	if (!users.has(username)) {
		const row = await getDb().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
		users.set(username, await loadUser(getDb(), row.id));
	}
	return users.get(username) ?? null;
}

export type Outcome =
	| { ok: true; value: unknown }
	| { ok: false; error: TRPCError; code: string; message: string; raw: unknown };

/** The message a client would read (the app's error formatter, Vietnamese). */
export function clientMessage(error: TRPCError, path: string, type: ProcedureType): string {
	const shape = getErrorShape({
		config: appRouter._def._config,
		error,
		type,
		path,
		input: undefined,
		ctx: createContextInner({ db: getDb() })
	}) as { message: string };
	return shape.message;
}

export function isValidationError(error: TRPCError): boolean {
	return error.cause instanceof ZodError;
}

/**
 * Calls `path` with `input` as `username` (null: anonymous) through `createCaller` with the real context.
 * A subscription is opened, its first item awaited briefly (a stream may have nothing to say yet), then closed.
 */
export async function invoke(username: string | null, path: string, type: ProcedureType, input: unknown, firstItemWaitMs = 300): Promise<Outcome> {
	const abort = new AbortController();
	const caller = createCaller(createContextInner({ db: getDb(), user: await userOf(username) }), { signal: abort.signal });
	try {
		let fn: unknown = caller;
		for (const key of path.split('.')) fn = (fn as Record<string, unknown>)[key];
		const value = await (fn as (i: unknown) => Promise<unknown>)(input);
		if (type === 'subscription') {
			const it = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
			let timer: ReturnType<typeof setTimeout> | undefined;
			const first = await Promise.race([
				it.next(),
				new Promise<'timeout'>((resolve) => {
					timer = setTimeout(() => resolve('timeout'), firstItemWaitMs);
				})
			]);
			clearTimeout(timer);
			abort.abort();
			if (it.return) void it.return(undefined).catch(() => {});
			return { ok: true, value: first };
		}
		return { ok: true, value };
	} catch (raw) {
		abort.abort();
		const error = getTRPCErrorFromUnknown(raw);
		return { ok: false, error, code: raw instanceof TRPCError ? error.code : `NOT_A_TRPC_ERROR(${String(raw)})`, message: clientMessage(error, path, type), raw };
	}
}

let tableNames: string[] | null = null;
async function tables(): Promise<string[]> {
	tableNames ??= (
		await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(getDb())
	).rows.map((r) => r.name);
	return tableNames;
}

/** Per table: row count and an md5 over every row (so an UPDATE shows as well as an INSERT or DELETE). */
export async function checksum(): Promise<Record<string, string>> {
	const parts = (await tables()).map(
		(t) => `select '${t}' as t, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`
	);
	const { rows } = await sql<{ t: string; h: string }>`${sql.raw(parts.join(' union all '))}`.execute(getDb());
	return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** Row counts of every table (cheap enough to take around each fuzzed call). */
export async function rowCounts(): Promise<Record<string, number>> {
	const parts = (await tables()).map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`);
	const { rows } = await sql<{ t: string; n: number }>`${sql.raw(parts.join(' union all '))}`.execute(getDb());
	return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** The tables whose value differs between two snapshots. */
export function changedTables<T>(before: Record<string, T>, after: Record<string, T>, ignore: readonly string[] = []): string[] {
	return Object.keys({ ...before, ...after }).filter((t) => !ignore.includes(t) && before[t] !== after[t]);
}
