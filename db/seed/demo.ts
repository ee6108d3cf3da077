import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { CouncilRole } from '../schema.js';
import { hashPassword } from '../password-hash.js';
import { searchName } from '../search-name.js';
import { CITY_CODE } from './councils.js';
import { syntheticName } from './names.js';

export const CITY_DELEGATES = 95;
export const COMMUNE_DELEGATES = 30;

interface DemoAccount {
	username: string;
	fullName: string;
	councilCode?: string;
	role?: CouncilRole;
	title?: string;
	cityRole?: 'admin' | 'monitor';
}

export function demoAccounts(councilCodes: string[]): DemoAccount[] {
	const accounts: DemoAccount[] = [
		{ username: 'admin', fullName: 'Quản trị hệ thống', cityRole: 'admin' },
		{ username: 'monitor.city', fullName: 'Thường trực HĐND Thành phố', cityRole: 'monitor' }
	];
	let seed = 0;
	for (const code of councilCodes) {
		const person = (username: string, role: CouncilRole, title: string) =>
			accounts.push({ username, fullName: syntheticName(seed++), councilCode: code, role, title });
		person(`chair.${code}`, 'chair', 'Chủ tịch HĐND');
		person(`secretary.${code}`, 'secretary', 'Thư ký kỳ họp');
		person(`clerk.${code}`, 'clerk', 'Văn thư');
		if (code !== CITY_CODE) {
			accounts.push({ username: `site.${code}`, fullName: `Điểm cầu ${code}`, councilCode: code, role: 'site_operator', title: 'Kỹ thuật điểm cầu' });
		}
		const delegates = code === CITY_CODE ? CITY_DELEGATES : COMMUNE_DELEGATES;
		for (let i = 1; i <= delegates; i++) person(`delegate.${code}.${i}`, 'delegate', 'Đại biểu HĐND');
	}
	return accounts;
}

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/**
 * Idempotent demo accounts for every council. The shared demo password is hashed once: argon2id is
 * deliberately slow, and 5,800 separate hashes would take minutes.
 */
export async function seedDemo(db: Db, password: string): Promise<{ accounts: number }> {
	const councils = await db.selectFrom('councils').select(['id', 'code']).orderBy('code').execute();
	const codes = [CITY_CODE, ...councils.map((c) => c.code).filter((c) => c !== CITY_CODE)];
	const councilId = new Map(councils.map((c) => [c.code, c.id]));
	const accounts = demoAccounts(codes);
	const passwordHash = await hashPassword(password);

	await db.transaction().execute(async (trx) => {
		for (const batch of chunks(accounts, 1000)) {
			await trx
				.insertInto('users')
				.values(batch.map((a) => ({ username: a.username, full_name: a.fullName, search_name: searchName(a.fullName), password_hash: passwordHash })))
				.onConflict((oc) => oc.column('username').doNothing()) // never reset a password someone changed
				.execute();
		}
		const ids = new Map(
			(await trx.selectFrom('users').select(['id', 'username']).where('username', 'in', accounts.map((a) => a.username)).execute()).map((u) => [u.username, u.id])
		);
		const cityRoles = accounts.filter((a) => a.cityRole).map((a) => ({ user_id: ids.get(a.username)!, role: a.cityRole! }));
		await trx.insertInto('city_roles').values(cityRoles).onConflict((oc) => oc.doNothing()).execute();
		const members = accounts
			.filter((a) => a.role && a.councilCode)
			.map((a) => ({ council_id: councilId.get(a.councilCode!)!, user_id: ids.get(a.username)!, role: a.role!, title: a.title ?? null }));
		for (const batch of chunks(members, 2000)) {
			await trx.insertInto('council_members').values(batch).onConflict((oc) => oc.doNothing()).execute();
		}
	});
	await sql`analyze`.execute(db);
	return { accounts: accounts.length };
}
