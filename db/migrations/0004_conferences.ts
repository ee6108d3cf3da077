// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	// A city-wide video conference: organised by one council (normally the city), optionally linked to a sitting
	// whose floor queue and event chain it shares.
	await db.schema
		.createTable('conferences')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('sitting_id', 'uuid', (c) => c.references('sittings.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'live', 'ended')`))
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('conferences_council').on('conferences').columns(['council_id', 'created_at']).execute();
	await db.schema.createIndex('conferences_sitting').on('conferences').column('sitting_id').execute();

	// Each invited ward site (one per council), with its live state as LiveKit's webhooks report it.
	await db.schema
		.createTable('conference_sites')
		.addColumn('conference_id', 'uuid', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('offline').check(sql`status in ('online', 'offline')`))
		.addColumn('mic_published', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('camera_published', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('connection_quality', 'text', (c) =>
			c.notNull().defaultTo('unknown').check(sql`connection_quality in ('excellent', 'good', 'poor', 'lost', 'unknown')`)
		)
		.addColumn('hand_raised', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('last_event_at', 'timestamptz')
		.addPrimaryKeyConstraint('conference_sites_pk', ['conference_id', 'council_id'])
		.execute();
	await db.schema.createIndex('conference_sites_council').on('conference_sites').column('council_id').execute();

	// LiveKit webhook ids already processed: a replayed (re-sent or captured) event is refused by every app
	// instance, also after a restart. Rows older than the freshness window can be pruned.
	await db.schema
		.createTable('media_webhook_events')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('media_webhook_events_received').on('media_webhook_events').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['media_webhook_events', 'conference_sites', 'conferences']) {
		await db.schema.dropTable(table).execute();
	}
}
