// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('sittings')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('regular', 'thematic', 'extraordinary')`))
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz')
		.addColumn('venue', 'text')
		.addColumn('hybrid', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'convened', 'in_progress', 'closed')`))
		.addColumn('current_item_id', 'uuid')
		// The hash chain's head and the last event number, updated under a row lock with every event.
		.addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('head_hash', 'text', (c) => c.notNull().defaultTo('0'.repeat(64)))
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('convened_at', 'timestamptz')
		.addColumn('started_at', 'timestamptz')
		.addColumn('closed_at', 'timestamptz')
		.addUniqueConstraint('sittings_number_per_council', ['council_id', 'number'])
		.execute();
	await db.schema.createIndex('sittings_council').on('sittings').columns(['council_id', 'starts_at']).execute();
	await db.schema.createIndex('sittings_status').on('sittings').column('status').execute();

	await db.schema
		.createTable('agenda_items')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('report', 'submission', 'questioning', 'election', 'dismissal', 'confidence', 'other')`)
		)
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('presenter', 'text')
		.addColumn('planned_minutes', 'integer')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('agenda_items_sitting').on('agenda_items').columns(['sitting_id', 'position']).execute();

	await db.schema
		.createTable('documents')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id').onDelete('cascade'))
		.addColumn('item_id', 'uuid', (c) => c.references('agenda_items.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('filename', 'text', (c) => c.notNull())
		.addColumn('size_bytes', 'integer', (c) => c.notNull())
		.addColumn('sha256', 'text', (c) => c.notNull())
		.addColumn('content', 'bytea', (c) => c.notNull())
		.addColumn('uploaded_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('documents_sitting').on('documents').column('sitting_id').execute();

	await db.schema
		.createTable('attendance')
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('present_hall', 'present_remote', 'absent_excused', 'absent')`))
		.addColumn('reason', 'text')
		.addColumn('updated_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('attendance_pk', ['sitting_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('floor_requests')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id').onDelete('cascade'))
		.addColumn('item_id', 'uuid', (c) => c.references('agenda_items.id'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('speech', 'question', 'point_of_order')`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'speaking', 'done', 'withdrawn')`))
		.addColumn('position', 'integer')
		.addColumn('allotted_sec', 'integer')
		.addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('started_at', 'timestamptz')
		.addColumn('ended_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('floor_requests_sitting').on('floor_requests').columns(['sitting_id', 'status']).execute();
	// One open request per delegate and sitting; the database enforces it.
	await sql`create unique index floor_requests_one_open on floor_requests (sitting_id, user_id) where status in ('queued', 'speaking')`.execute(db);
	await sql`create unique index floor_requests_one_speaker on floor_requests (sitting_id) where status = 'speaking'`.execute(db);

	// Every change of a sitting, hash-chained (SHA-256 over the previous hash and the canonical event).
	// created_at is the exact ISO text that was hashed, so verification never depends on timestamp precision.
	await db.schema
		.createTable('sitting_events')
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id').onDelete('cascade'))
		.addColumn('seq', 'bigint', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('prev_hash', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('sitting_events_pk', ['sitting_id', 'seq'])
		.execute();

	await db.schema
		.createTable('votes')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id'))
		.addColumn('item_id', 'uuid', (c) => c.notNull().references('agenda_items.id'))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('question', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('open', 'secret')`))
		.addColumn('ballot_type', 'text', (c) => c.notNull().check(sql`ballot_type in ('yes_no_abstain', 'election', 'confidence')`))
		.addColumn('options', 'jsonb')
		.addColumn('rule', 'jsonb', (c) => c.notNull())
		.addColumn('allow_change', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed', 'void')`))
		.addColumn('void_reason', 'text')
		.addColumn('opened_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('closes_at', 'timestamptz')
		.addColumn('closed_at', 'timestamptz')
		.addColumn('ballots_cast', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('result', 'jsonb')
		.execute();
	await db.schema.createIndex('votes_sitting').on('votes').column('sitting_id').execute();
	await sql`create unique index votes_one_open_per_sitting on votes (sitting_id) where status = 'open'`.execute(db);
	await sql`create index votes_timed on votes (closes_at) where status = 'open' and closes_at is not null`.execute(db);

	// Open (công khai) ballots name their voter: one row per delegate and vote, enforced by the key.
	await db.schema
		.createTable('open_ballots')
		.addColumn('vote_id', 'uuid', (c) => c.notNull().references('votes.id'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('choice', 'jsonb', (c) => c.notNull())
		.addColumn('idempotency_key', 'text')
		.addColumn('cast_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('open_ballots_pk', ['vote_id', 'user_id'])
		.execute();

	// Secret ballots: who took part (no time, no order, no choice) ...
	await db.schema
		.createTable('secret_participation')
		.addColumn('vote_id', 'uuid', (c) => c.notNull().references('votes.id'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('idempotency_hash', 'text')
		.addPrimaryKeyConstraint('secret_participation_pk', ['vote_id', 'user_id'])
		.execute();
	// ... and, apart, one ballot box per vote: an unordered array of {receipt, choice}, reshuffled on every cast,
	// so neither row order, ids nor times link a ballot to the participation record (see docs/security.md).
	await db.schema
		.createTable('secret_ballot_boxes')
		.addColumn('vote_id', 'uuid', (c) => c.primaryKey().references('votes.id'))
		.addColumn('ballots', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['secret_ballot_boxes', 'secret_participation', 'open_ballots', 'votes', 'sitting_events', 'floor_requests', 'attendance', 'documents', 'agenda_items', 'sittings']) {
		await db.schema.dropTable(table).execute();
	}
}
