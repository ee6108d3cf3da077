import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

function migrator(db: Kysely<any>) {
	// Kysely's migrator takes a PostgreSQL advisory lock, so instances starting together do not race.
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): void {
	if (result.error) throw result.error;
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
	unwrap(await migrator(db).migrateToLatest());
}

export async function migrateDownAll(db: Kysely<any>): Promise<void> {
	const m = migrator(db);
	for (;;) {
		const result = await m.migrateDown();
		unwrap(result);
		if (!result.results?.length) return;
	}
}
