// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// A secret confidence rating (lấy phiếu tín nhiệm) is now prepared and cast encrypted like the other secret votes
// (issue 17): one group of three options per person, exactly one level each.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table secret_vote_setups drop constraint secret_vote_setups_ballot_type_check`.execute(db);
	await sql`alter table secret_vote_setups add constraint secret_vote_setups_ballot_type_check
		check (ballot_type in ('yes_no_abstain', 'election', 'confidence'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table secret_vote_setups drop constraint secret_vote_setups_ballot_type_check`.execute(db);
	await sql`alter table secret_vote_setups add constraint secret_vote_setups_ballot_type_check
		check (ballot_type in ('yes_no_abstain', 'election'))`.execute(db);
}
