// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// The secret ballot the server cannot open (issue 17). Beside the plaintext secret tables, which stay until the
// switch-over. A secret vote is prepared before it opens (`secret_vote_setups`: its question, spec and counting
// committee), the committee's browsers make its key through the server (transport keys, dealings, sealed shares),
// and once opened the vote is an ordinary `votes` row whose id is the setup's id (the id every proof binds).
// Ballots are stored voter → ciphertexts and proofs: public by design, nothing in them is a plaintext choice.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('secret_vote_setups')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('sitting_id', 'uuid', (c) => c.notNull().references('sittings.id'))
		.addColumn('item_id', 'uuid', (c) => c.notNull().references('agenda_items.id'))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('question', 'text', (c) => c.notNull())
		.addColumn('ballot_type', 'text', (c) => c.notNull().check(sql`ballot_type in ('yes_no_abstain', 'election')`))
		.addColumn('options', 'jsonb')
		.addColumn('rule', 'jsonb', (c) => c.notNull())
		.addColumn('duration_sec', 'integer')
		.addColumn('threshold', 'integer', (c) => c.notNull())
		.addColumn('members', 'integer', (c) => c.notNull())
		.addColumn('phase', 'text', (c) =>
			c
				.notNull()
				.defaultTo('keying')
				.check(sql`phase in ('keying', 'ready', 'opened', 'cancelled')`)
		)
		.addColumn('public_key', 'text')
		.addColumn('cancel_reason', 'jsonb')
		.addColumn('vote_id', 'uuid', (c) => c.unique().references('votes.id'))
		.addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('secret_vote_setups_threshold', sql`threshold >= 1 and threshold <= members and members <= 15`)
		.addCheckConstraint('secret_vote_setups_vote_is_setup', sql`vote_id is null or vote_id = id`)
		.execute();
	await db.schema.createIndex('secret_vote_setups_sitting').on('secret_vote_setups').column('sitting_id').execute();

	// The counting committee (Ban kiểm phiếu): member `idx` is the index its dealing's proof binds.
	await db.schema
		.createTable('secret_committee_members')
		.addColumn('setup_id', 'uuid', (c) => c.notNull().references('secret_vote_setups.id'))
		.addColumn('idx', 'integer', (c) => c.notNull())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('transport_key', 'text')
		.addColumn('dealing', 'jsonb')
		.addPrimaryKeyConstraint('secret_committee_members_pk', ['setup_id', 'idx'])
		.addUniqueConstraint('secret_committee_members_user', ['setup_id', 'user_id'])
		.execute();

	// A dealer's share for one member, sealed to that member's transport key (the server cannot open it).
	await db.schema
		.createTable('secret_sealed_shares')
		.addColumn('setup_id', 'uuid', (c) => c.notNull().references('secret_vote_setups.id'))
		.addColumn('from_idx', 'integer', (c) => c.notNull())
		.addColumn('to_idx', 'integer', (c) => c.notNull())
		.addColumn('sealed', 'jsonb', (c) => c.notNull())
		.addPrimaryKeyConstraint('secret_sealed_shares_pk', ['setup_id', 'from_idx', 'to_idx'])
		.execute();

	// Voter → encrypted ballot. One per voter and vote; the tracker (a hash of the ciphertexts) once per vote, so
	// a replayed ballot is refused by the key as well as by the service. No time, no plaintext.
	await db.schema
		.createTable('encrypted_ballots')
		.addColumn('vote_id', 'uuid', (c) => c.notNull().references('votes.id'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('tracker', 'text', (c) => c.notNull())
		.addColumn('ballot', 'jsonb', (c) => c.notNull())
		.addPrimaryKeyConstraint('encrypted_ballots_pk', ['vote_id', 'user_id'])
		.addUniqueConstraint('encrypted_ballots_tracker', ['vote_id', 'tracker'])
		.execute();

	// The count: the encrypted sums once casting closed, then the committee's partial decryptions of the sums.
	await db.schema
		.createTable('encrypted_tallies')
		.addColumn('vote_id', 'uuid', (c) => c.primaryKey().references('votes.id'))
		.addColumn('sums', 'jsonb', (c) => c.notNull())
		.addColumn('ballots', 'integer', (c) => c.notNull())
		// Seated and present when casting closed (present: checked in, or voted), what the result is decided against.
		.addColumn('seated', 'integer', (c) => c.notNull())
		.addColumn('present', 'integer', (c) => c.notNull())
		.addColumn('counts', 'jsonb')
		.addColumn('counted_at', 'timestamptz')
		.execute();
	await db.schema
		.createTable('secret_partials')
		.addColumn('vote_id', 'uuid', (c) => c.notNull().references('encrypted_tallies.vote_id'))
		.addColumn('idx', 'integer', (c) => c.notNull())
		.addColumn('partial', 'jsonb', (c) => c.notNull())
		.addPrimaryKeyConstraint('secret_partials_pk', ['vote_id', 'idx'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['secret_partials', 'encrypted_tallies', 'encrypted_ballots', 'secret_sealed_shares', 'secret_committee_members', 'secret_vote_setups']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
