// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// The city's RFC 3161 timestamp authority (PAdES B-T signature timestamps, POST /api/tsa): its certificate, issued
// under the city council's CA, and its private key sealed like the council CAs' keys (AES-256-GCM under
// CA_KEY_SECRET / DATA_DIR/secrets/ca.key, never in clear in the database). A new row when the current certificate
// nears its end; the old ones stay, so that what they stamped can still be explained.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('tsa_identities')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('issuer_council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('certificate', 'bytea', (c) => c.notNull())
		.addColumn('private_key_enc', 'bytea', (c) => c.notNull())
		.addColumn('not_after', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('tsa_identities_not_after').on('tsa_identities').column('not_after').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('tsa_identities').ifExists().execute();
}
