// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// Each council CA's current certificate revocation list (PAdES B-LT), served at GET /api/verify/crl/{councilId}.crl and
// embedded in issued resolutions. One row per council, replaced when it is half-way to its nextUpdate or when the set
// of revoked certificates it should list changes (revoked_count). crl_number only grows (RFC 5280 §5.2.3).
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('council_crls')
		.addColumn('council_id', 'uuid', (c) => c.primaryKey().references('councils.id').onDelete('cascade'))
		.addColumn('crl', 'bytea', (c) => c.notNull())
		.addColumn('crl_number', 'integer', (c) => c.notNull())
		.addColumn('revoked_count', 'integer', (c) => c.notNull())
		.addColumn('this_update', 'timestamptz', (c) => c.notNull())
		.addColumn('next_update', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('council_crls').ifExists().execute();
}
