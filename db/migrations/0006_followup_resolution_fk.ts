// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// A follow-up task that names a resolution by id now points at a real resolution OF ITS OWN COUNCIL: the foreign
// key covers (resolution_id, council_id), so neither a missing resolution nor another council's can be named.
// A free-text reference stays in resolution_ref (resolution_id null: MATCH SIMPLE skips the check).

export async function up(db: Kysely<any>): Promise<void> {
	// Ids written before this constraint that point nowhere (or at another council) would make it fail. Keep what
	// the task said as free text rather than lose it: the id goes to resolution_ref when that is empty.
	await sql`
		update followup_tasks t
		set resolution_ref = coalesce(t.resolution_ref, t.resolution_id::text), resolution_id = null
		where t.resolution_id is not null
		and not exists (select 1 from resolutions r where r.id = t.resolution_id and r.council_id = t.council_id)`.execute(db);
	// The target of a composite key must be unique as such; (id, council_id) is, since id is the primary key.
	await sql`alter table resolutions add constraint resolutions_id_council unique (id, council_id)`.execute(db);
	await sql`
		alter table followup_tasks add constraint followup_tasks_resolution_fk
		foreign key (resolution_id, council_id) references resolutions (id, council_id)`.execute(db);
	// Checking the key when a resolution row changes, and "the tasks of this resolution", read by resolution_id.
	await sql`create index followup_tasks_resolution on followup_tasks (resolution_id) where resolution_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	// Ids moved to resolution_ref by up() stay there: they pointed nowhere, so nothing is lost by not moving back.
	await sql`drop index if exists followup_tasks_resolution`.execute(db);
	await sql`alter table followup_tasks drop constraint if exists followup_tasks_resolution_fk`.execute(db);
	await sql`alter table resolutions drop constraint if exists resolutions_id_council`.execute(db);
}
