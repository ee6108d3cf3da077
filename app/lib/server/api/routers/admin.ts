import { z } from 'zod';
import { sql } from 'kysely';
import { searchName } from '../../../../../db/search-name.js';
import { forgetAllSessions } from '../../auth/cached-sessions';
import { hashPassword } from '../../auth/password';
import { councilExists } from '../../councils/repository';
import { USERNAME_PATTERN, parseDelegateCsv } from '../../users/csv-import';
import { MIN_RESET_PASSWORD_LENGTH, deactivateUser, resetPassword, revokeCityRole } from '../../users/accounts';
import { translate } from '../../../i18n';
import { AppError, notFound } from '../../errors';
import { router } from '../init';
import { cityRoleProcedure } from '../procedures';

const adminProcedure = cityRoleProcedure('admin');

const councilRole = z.enum(['delegate', 'chair', 'secretary', 'clerk', 'site_operator']);
const cityRole = z.enum(['admin', 'monitor']);

export const adminRouter = router({
	createUser: adminProcedure
		.input(
			z.object({
				username: z.string().trim().toLowerCase().regex(USERNAME_PATTERN),
				fullName: z.string().trim().min(1).max(200),
				password: z.string().min(8).max(256),
				email: z.email().max(200).optional(),
				phone: z.string().trim().max(30).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const passwordHash = await hashPassword(input.password);
			const fullName = input.fullName.normalize('NFC');
			const inserted = await ctx.db
				.insertInto('users')
				.values({ username: input.username, full_name: fullName, search_name: searchName(fullName), password_hash: passwordHash, email: input.email ?? null, phone: input.phone ?? null })
				.onConflict((oc) => oc.column('username').doNothing())
				.returning('id')
				.executeTakeFirst();
			if (!inserted) throw new AppError('CONFLICT', 'admin.usernameTaken', { username: input.username });
			await ctx.db.insertInto('audit_log').values({ user_id: ctx.user.id, action: 'admin.createUser', details: JSON.stringify({ userId: inserted.id, username: input.username }) }).execute();
			return { userId: inserted.id };
		}),

	assignRole: adminProcedure
		.input(
			z.union([
				z.object({ userId: z.uuid(), councilId: z.uuid(), role: councilRole, title: z.string().trim().max(100).optional() }),
				z.object({ userId: z.uuid(), cityRole })
			])
		)
		.mutation(async ({ ctx, input }) => {
			const user = await ctx.db.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
			if (!user) throw notFound('what.user');
			if ('cityRole' in input) {
				await ctx.db.insertInto('city_roles').values({ user_id: input.userId, role: input.cityRole }).onConflict((oc) => oc.doNothing()).execute();
			} else {
				if (!(await councilExists(ctx.db, input.councilId))) throw notFound('what.council');
				await ctx.db
					.insertInto('council_members')
					.values({ council_id: input.councilId, user_id: input.userId, role: input.role, title: input.title ?? null })
					.onConflict((oc) => oc.columns(['council_id', 'user_id', 'role']).doUpdateSet({ active: true }))
					.execute();
			}
			await ctx.db.insertInto('audit_log').values({ user_id: ctx.user.id, council_id: 'councilId' in input ? input.councilId : null, action: 'admin.assignRole', details: JSON.stringify(input) }).execute();
			forgetAllSessions(); // roles changed: no cached caller here keeps the old ones
			return { ok: true as const };
		}),

	revokeRole: adminProcedure
		.input(z.union([z.object({ userId: z.uuid(), councilId: z.uuid(), role: councilRole }), z.object({ userId: z.uuid(), cityRole })]))
		.mutation(async ({ ctx, input }) => {
			if ('cityRole' in input) {
				await revokeCityRole(ctx.db, { userId: input.userId, cityRole: input.cityRole, by: ctx.user.id });
				forgetAllSessions(); // roles changed: no cached caller here keeps the old ones
				return { ok: true as const };
			}
			await ctx.db
				.updateTable('council_members')
				.set({ active: false })
				.where('council_id', '=', input.councilId)
				.where('user_id', '=', input.userId)
				.where('role', '=', input.role)
				.execute();
			await ctx.db.insertInto('audit_log').values({ user_id: ctx.user.id, council_id: input.councilId, action: 'admin.revokeRole', details: JSON.stringify(input) }).execute();
			forgetAllSessions(); // roles changed: no cached caller here keeps the old ones
			return { ok: true as const };
		}),

	/** Closes an account: no more sign-in, and its sessions (and their live streams) end now. */
	deactivateUser: adminProcedure
		.input(z.object({ userId: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			const { sessionsEnded } = await deactivateUser(ctx.db, { userId: input.userId, by: ctx.user.id });
			forgetAllSessions(); // the account's sessions are gone: no cached caller here keeps one
			return { ok: true as const, sessionsEnded };
		}),

	/** Sets a password, or generates one shown this once (`temporaryPassword`); the account's sessions end. */
	resetPassword: adminProcedure
		.input(z.object({ userId: z.uuid(), password: z.string().min(MIN_RESET_PASSWORD_LENGTH).max(256).optional() }))
		.mutation(async ({ ctx, input }) => {
			const result = await resetPassword(ctx.db, { userId: input.userId, password: input.password, by: ctx.user.id });
			forgetAllSessions(); // the account's sessions are gone: no cached caller here keeps one
			return { ok: true as const, ...result };
		}),

	listUsers: adminProcedure
		.input(z.object({ q: z.string().trim().max(100).default(''), limit: z.number().int().min(1).max(200).default(50) }))
		.query(async ({ ctx, input }) => {
			const pattern = `%${searchName(input.q).replace(/[%_\\]/g, (c) => '\\' + c)}%`;
			return ctx.db
				.selectFrom('users')
				.select(['id', 'username', 'full_name as fullName', 'active'])
				.where((eb) => eb.or([eb('search_name', 'like', pattern), eb('username', 'like', pattern)]))
				.orderBy('username')
				.limit(input.limit)
				.execute();
		}),

	/** Imports delegates of one council from CSV: good rows are created, each bad row is reported. */
	importDelegates: adminProcedure
		.input(z.object({ councilId: z.uuid(), csv: z.string().min(1).max(1_000_000) }))
		.mutation(async ({ ctx, input }) => {
			if (!(await councilExists(ctx.db, input.councilId))) throw notFound('what.council');
			const { rows, rejected } = parseDelegateCsv(input.csv);
			const taken = rows.length
				? new Set((await ctx.db.selectFrom('users').select('username').where('username', 'in', rows.map((r) => r.username)).execute()).map((u) => u.username))
				: new Set<string>();
			const fresh = rows.filter((r) => !taken.has(r.username));
			for (const r of rows) if (taken.has(r.username)) rejected.push({ line: r.line, reasonKey: 'admin.csv.exists' });
			const hashes = await Promise.all(fresh.map((r) => hashPassword(r.password)));
			await ctx.db.transaction().execute(async (trx) => {
				for (const [i, r] of fresh.entries()) {
					const { id } = await trx
						.insertInto('users')
						.values({ username: r.username, full_name: r.fullName, search_name: searchName(r.fullName), password_hash: hashes[i] })
						.returning('id')
						.executeTakeFirstOrThrow();
					await trx.insertInto('council_members').values({ council_id: input.councilId, user_id: id, role: 'delegate', title: 'Đại biểu HĐND' }).execute();
				}
				await trx.insertInto('audit_log').values({ user_id: ctx.user.id, council_id: input.councilId, action: 'admin.importDelegates', details: JSON.stringify({ imported: fresh.length, rejected: rejected.length }) }).execute();
			});
			rejected.sort((a, b) => a.line - b.line);
			return {
				imported: fresh.length,
				rejected: rejected.map((r) => ({ line: r.line, reason: translate(ctx.locale, r.reasonKey) }))
			};
		}),

	stats: adminProcedure.query(async ({ ctx }) => {
		const row = await ctx.db
			.selectFrom('users')
			.select([sql<number>`count(*)::int`.as('users')])
			.executeTakeFirstOrThrow();
		return row;
	})
});
