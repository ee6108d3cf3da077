import path from 'node:path';
import { appRoleUrl, ensureAppRole } from './app-role.js';
import { createDb, type Db } from './client.js';
import { LEGACY_PASSWORD, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { migrateToLatest } from './migrate.js';
import { seedCouncils } from './seed/councils.js';
import { seedDemo } from './seed/demo.js';
import { demoLoginsLeft, ensureFirstAdmin } from './seed/first-admin.js';
import { storedSecret, storedSecretPath } from './stored-secret.js';

export interface Bootstrapped {
	databaseUrl: string;
	embedded: EmbeddedServer | null;
	demo: boolean;
	stop: () => Promise<void>;
}

const APP_DATABASE = 'nghitruongso';
/** The embedded server's login for the app (it owns APP_DATABASE and nothing else: db/app-role.ts). */
export const APP_ROLE = 'nghitruongso';
/** Under DATA_DIR/secrets (0600), made on the first start: see docs/security.md "Embedded defaults". */
export const SUPERUSER_SECRET = 'postgres-superuser-password';
export const APP_ROLE_SECRET = 'postgres-app-password';

/**
 * DATABASE_URL set: that PostgreSQL, used as it is. Unset: an embedded real PostgreSQL with its data under
 * DATA_DIR (./.data/), kept across restarts, whose superuser and app role have random passwords kept under
 * DATA_DIR/secrets. Then migrations (as the app's role) and the idempotent seed: demo accounts only with DEMO=1,
 * otherwise a first administrator when there is none.
 */
export async function bootstrapDatabase(opts: { log: (msg: string) => void; seed?: boolean }): Promise<Bootstrapped> {
	let embedded: EmbeddedServer | null = null;
	let databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) {
		const dataDir = path.resolve(process.env.DATA_DIR ?? '.data', 'postgres');
		const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
		opts.log(`Khởi động PostgreSQL nhúng (${dataDir}, cổng ${port})…`);
		embedded = await startEmbeddedPostgres({ dataDir, port, password: storedSecret(SUPERUSER_SECRET) });
		if (embedded.legacyPasswordReplaced) {
			opts.log(`Đã thay mật khẩu mặc định postgres/${LEGACY_PASSWORD} của PostgreSQL nhúng bằng mật khẩu ngẫu nhiên (${storedSecretPath(SUPERUSER_SECRET)}).`);
		}
		const password = storedSecret(APP_ROLE_SECRET);
		await ensureAppRole({ superuserUrl: embedded.url, role: APP_ROLE, password, database: APP_DATABASE });
		databaseUrl = appRoleUrl(port, APP_ROLE, password, APP_DATABASE);
	}
	// Demo accounts all share one published password: only when asked for, wherever the database is.
	const demo = process.env.DEMO === '1';
	const demoPassword = process.env.DEMO_PASSWORD ?? 'demo';
	const { db } = createDb(databaseUrl, 4);
	try {
		await migrateToLatest(db);
		if (opts.seed !== false) {
			await seedCouncils(db);
			if (demo) {
				const started = Date.now();
				const { accounts } = await seedDemo(db, demoPassword);
				opts.log(`Dữ liệu mẫu: ${accounts} tài khoản (${Date.now() - started} ms).`);
			} else {
				await firstAdmin(db, opts.log);
				const left = await demoLoginsLeft(db, demoPassword);
				if (left.length) {
					opts.log(
						`CẢNH BÁO: cơ sở dữ liệu vẫn còn tài khoản mẫu dùng mật khẩu mẫu (${left.join(', ')} …) từ một lần chạy với dữ liệu mẫu. ` +
							'Không đưa hệ thống này vào sử dụng thật: dùng một DATA_DIR mới (hoặc cơ sở dữ liệu mới), hoặc chạy với DEMO=1 nếu đây là bản dùng thử.'
					);
				}
			}
		}
	} finally {
		await db.destroy();
	}
	return {
		databaseUrl,
		embedded,
		demo,
		stop: async () => {
			await embedded?.stop();
		}
	};
}

export type { Db };

async function firstAdmin(db: Db, log: (msg: string) => void): Promise<void> {
	const outcome = await ensureFirstAdmin(db);
	if (outcome.kind === 'created') {
		log(`Đã tạo tài khoản quản trị đầu tiên "${outcome.username}". Mật khẩu ngẫu nhiên của tài khoản nằm trong tệp ${outcome.passwordFile} (chỉ chủ tệp đọc được): cat ${outcome.passwordFile}`);
	} else if (outcome.kind === 'name-taken') {
		log(`Chưa có tài khoản quản trị nào, nhưng tên "${outcome.username}" đã thuộc một tài khoản thường: không tạo quản trị viên đầu tiên. Cấp quyền quản trị trực tiếp trong cơ sở dữ liệu (bảng city_roles).`);
	}
}
