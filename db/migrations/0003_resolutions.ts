// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	// One certificate authority per council (its key encrypted with a server secret kept outside the database).
	await db.schema
		.createTable('council_cas')
		.addColumn('council_id', 'uuid', (c) => c.primaryKey().references('councils.id'))
		.addColumn('certificate', 'bytea', (c) => c.notNull())
		.addColumn('private_key_enc', 'bytea', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('signing_identities')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('person', 'organisation')`))
		.addColumn('certificate', 'bytea', (c) => c.notNull())
		// PKCS#12, encrypted with the holder's passphrase (AES-256, PBKDF2).
		.addColumn('pkcs12', 'bytea', (c) => c.notNull())
		.addColumn('serial', 'text', (c) => c.notNull())
		.addColumn('not_before', 'timestamptz', (c) => c.notNull())
		.addColumn('not_after', 'timestamptz', (c) => c.notNull())
		.addColumn('external', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	// One usable identity per person, council and kind; revoked ones stay for verification.
	await sql`create unique index signing_identities_current on signing_identities (user_id, council_id, kind) where revoked_at is null`.execute(db);

	// Numbers per council and year, assigned atomically (insert … on conflict do update … returning).
	await db.schema
		.createTable('resolution_counters')
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('year', 'integer', (c) => c.notNull())
		.addColumn('last', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('resolution_counters_pk', ['council_id', 'year'])
		.execute();

	await db.schema
		.createTable('resolutions')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id'))
		.addColumn('item_id', 'uuid', (c) => c.notNull().references('agenda_items.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'jsonb', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'adopted', 'signed', 'issued')`))
		.addColumn('vote_id', 'uuid', (c) => c.references('votes.id'))
		.addColumn('number', 'text')
		.addColumn('year', 'integer')
		.addColumn('seq', 'integer')
		.addColumn('adopted_at', 'timestamptz')
		.addColumn('signed_at', 'timestamptz')
		.addColumn('issued_at', 'timestamptz')
		.addColumn('short_code', 'text', (c) => c.notNull().unique())
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('resolutions_number_per_council', ['council_id', 'number'])
		.execute();
	await db.schema.createIndex('resolutions_council').on('resolutions').columns(['council_id', 'created_at']).execute();

	await db.schema
		.createTable('resolution_revisions')
		.addColumn('resolution_id', 'uuid', (c) => c.notNull().references('resolutions.id'))
		.addColumn('revision', 'integer', (c) => c.notNull().check(sql`revision in (0, 1, 2)`))
		.addColumn('pdf', 'bytea', (c) => c.notNull())
		.addColumn('sha256', 'text', (c) => c.notNull())
		.addColumn('signer_user_id', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('resolution_revisions_pk', ['resolution_id', 'revision'])
		.execute();
	await db.schema.createIndex('resolution_revisions_sha256').on('resolution_revisions').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['resolution_revisions', 'resolutions', 'resolution_counters', 'signing_identities', 'council_cas']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
