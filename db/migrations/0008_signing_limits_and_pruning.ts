// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// Wrong certificate passphrases, counted per user like failed logins (login_failures), so the limit on guessing a
// signing key's passphrase holds across instances and restarts. And indexes for the periodic pruning of expired
// sessions and old failures, which would otherwise scan both tables on every run.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('signing_failures')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('signing_failures_user').on('signing_failures').columns(['user_id', 'at']).execute();
	await db.schema.createIndex('signing_failures_at').on('signing_failures').column('at').execute();
	await db.schema.createIndex('login_failures_at').on('login_failures').column('at').execute();
	await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('sessions_expires_at').ifExists().execute();
	await db.schema.dropIndex('login_failures_at').ifExists().execute();
	await db.schema.dropTable('signing_failures').ifExists().execute();
}
