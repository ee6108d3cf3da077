// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// The switch-over to the encrypted secret ballot (issue 17): the plaintext secret tables go. What a closed secret
// vote of before committed to in its sitting's chain ('vote.closed': the digest of its box's receipt → choice
// pairs, sorted by receipt) stays, in `archived_secret_ballots`, so the chain still verifies; who took part
// (`secret_participation`, voter → idempotency hash) goes: the result keeps the numbers. Dropping the tables
// removes their files, dead row versions included.
//
// A plaintext secret vote still open cannot be carried over (nothing can cast in it any more, and closing it needs
// the box): the migration stops, changing nothing, and names it, so that it is closed or voided first.
export async function up(db: Kysely<any>): Promise<void> {
	const open = await sql<{ id: string; question: string }>`
		select v.id, v.question from votes v
		where v.kind = 'secret' and v.status = 'open' and not exists (select 1 from secret_vote_setups s where s.vote_id = v.id)`.execute(db);
	if (open.rows.length > 0) {
		const list = open.rows.map((v) => `${v.id} (${v.question})`).join('; ');
		throw new Error(
			`Còn phiếu kín không mã hóa đang mở: ${list}. Hãy kết thúc hoặc hủy biểu quyết bằng phiên bản đang chạy rồi nâng cấp lại. ` +
				`(Plaintext secret votes are still open: close or void them with the running version, then upgrade.)`
		);
	}
	await db.schema
		.createTable('archived_secret_ballots')
		.addColumn('vote_id', 'uuid', (c) => c.primaryKey().references('votes.id'))
		// [{receipt, choice}] sorted by receipt in code-unit order ("C"), as the close's digest sorted them.
		.addColumn('ballots', 'jsonb', (c) => c.notNull())
		.execute();
	await sql`
		insert into archived_secret_ballots (vote_id, ballots)
		select b.vote_id, coalesce(
			(select jsonb_agg(jsonb_build_object('receipt', e->>'receipt', 'choice', e->'choice') order by e->>'receipt' collate "C")
			 from jsonb_array_elements(b.ballots) e),
			'[]'::jsonb)
		from secret_ballot_boxes b`.execute(db);
	await db.schema.dropTable('secret_ballot_boxes').execute();
	await db.schema.dropTable('secret_participation').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	// Who took part is gone for good; the boxes come back from the archive, for the chain's digest.
	await db.schema
		.createTable('secret_participation')
		.addColumn('vote_id', 'uuid', (c) => c.notNull().references('votes.id'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('idempotency_hash', 'text')
		.addPrimaryKeyConstraint('secret_participation_pk', ['vote_id', 'user_id'])
		.execute();
	await db.schema
		.createTable('secret_ballot_boxes')
		.addColumn('vote_id', 'uuid', (c) => c.primaryKey().references('votes.id'))
		.addColumn('ballots', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
		.execute();
	await sql`insert into secret_ballot_boxes (vote_id, ballots) select vote_id, ballots from archived_secret_ballots`.execute(db);
	await db.schema.dropTable('archived_secret_ballots').execute();
}
