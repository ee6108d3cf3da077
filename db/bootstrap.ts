import path from 'node:path';
import { createDb, type Db } from './client.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { ensureDatabase } from './ensure-database.js';
import { migrateToLatest } from './migrate.js';
import { seedCouncils } from './seed/councils.js';
import { seedDemo } from './seed/demo.js';

export interface Bootstrapped {
	databaseUrl: string;
	embedded: EmbeddedServer | null;
	demo: boolean;
	stop: () => Promise<void>;
}

const APP_DATABASE = 'nghitruongso';

/**
 * DATABASE_URL set: that PostgreSQL. Unset: an embedded real PostgreSQL with its data under ./.data/,
 * kept across restarts, and demo data. Then migrations and the idempotent seed.
 */
export async function bootstrapDatabase(opts: { log: (msg: string) => void; seed?: boolean }): Promise<Bootstrapped> {
	let embedded: EmbeddedServer | null = null;
	let databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) {
		const dataDir = path.resolve(process.env.DATA_DIR ?? '.data', 'postgres');
		const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
		opts.log(`Khởi động PostgreSQL nhúng (${dataDir}, cổng ${port})…`);
		embedded = await startEmbeddedPostgres({ dataDir, port });
		await ensureDatabase(embedded.url(), APP_DATABASE);
		databaseUrl = embedded.url(APP_DATABASE);
	}
	const demo = process.env.DEMO === '1' || (embedded !== null && process.env.DEMO !== '0');
	const { db } = createDb(databaseUrl, 4);
	try {
		await migrateToLatest(db);
		if (opts.seed !== false) {
			await seedCouncils(db);
			if (demo) {
				const started = Date.now();
				const { accounts } = await seedDemo(db, process.env.DEMO_PASSWORD ?? 'demo');
				opts.log(`Dữ liệu mẫu: ${accounts} tài khoản (${Date.now() - started} ms).`);
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
