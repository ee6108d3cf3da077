// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	// Follow-up of resolutions (theo dõi thực hiện nghị quyết): tasks for agencies, with deadlines.
	// resolution_id has no foreign key, so a task may also refer to a resolution by free text only.
	await db.schema
		.createTable('followup_tasks')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('resolution_id', 'uuid')
		.addColumn('resolution_ref', 'text')
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('agency', 'text', (c) => c.notNull())
		.addColumn('assignee_user_id', 'uuid', (c) => c.references('users.id'))
		.addColumn('deadline', 'timestamptz', (c) => c.notNull())
		.addColumn('expected_result', 'text')
		.addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0).check(sql`progress between 0 and 100`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done')`))
		.addColumn('overdue_at', 'timestamptz')
		.addColumn('completed_at', 'timestamptz')
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('followup_tasks_reference', sql`resolution_id is not null or resolution_ref is not null`)
		.execute();
	await db.schema.createIndex('followup_tasks_council').on('followup_tasks').columns(['council_id', 'deadline']).execute();
	await sql`create index followup_tasks_open_deadline on followup_tasks (deadline) where status = 'open'`.execute(db);

	await db.schema
		.createTable('followup_reports')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('task_id', 'uuid', (c) => c.notNull().references('followup_tasks.id').onDelete('cascade'))
		.addColumn('percent', 'integer', (c) => c.notNull().check(sql`percent between 0 and 100`))
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('reported_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('followup_reports_task').on('followup_reports').columns(['task_id', 'created_at']).execute();

	// Electronic consultation of delegates between sittings (lấy ý kiến điện tử).
	await db.schema
		.createTable('consultations')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('question', 'text', (c) => c.notNull())
		.addColumn('deadline', 'timestamptz', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
		.addColumn('seated', 'integer', (c) => c.notNull())
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('closed_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('consultations_council').on('consultations').columns(['council_id', 'created_at']).execute();
	await sql`create index consultations_open_deadline on consultations (deadline) where status = 'open'`.execute(db);

	// One answer per delegate and consultation: the primary key enforces it.
	await db.schema
		.createTable('consultation_answers')
		.addColumn('consultation_id', 'uuid', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('choice', 'text', (c) => c.notNull().check(sql`choice in ('agree', 'disagree', 'comment')`))
		.addColumn('comment', 'text')
		.addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('consultation_answers_pk', ['consultation_id', 'user_id'])
		.execute();

	// Voter petitions (kiến nghị cử tri) from voter contact.
	await db.schema
		.createTable('petitions')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('topic', 'text', (c) => c.notNull())
		.addColumn('area', 'text', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('received').check(sql`status in ('received', 'assigned', 'answered', 'closed')`))
		.addColumn('agency', 'text')
		.addColumn('answer', 'text')
		.addColumn('created_by', 'uuid', (c) => c.references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('assigned_at', 'timestamptz')
		.addColumn('answered_at', 'timestamptz')
		.addColumn('answered_by', 'uuid', (c) => c.references('users.id'))
		.execute();
	await db.schema.createIndex('petitions_council').on('petitions').columns(['council_id', 'status']).execute();

	// In-app notifications (nhắc việc, thông báo nhanh), per user.
	await db.schema
		.createTable('notifications')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('link', 'text')
		.addColumn('council_id', 'uuid', (c) => c.references('councils.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
	await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(db);

	// Stored jobs (reminders, closing at a deadline) executed by the background tick; they survive restarts.
	await db.schema
		.createTable('scheduled_jobs')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('run_at', 'timestamptz', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('dedupe_key', 'text', (c) => c.unique())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('done_at', 'timestamptz')
		.execute();
	await sql`create index scheduled_jobs_due on scheduled_jobs (run_at) where done_at is null`.execute(db);

	// Outgoing email/SMS, as the adapters handed them over (the log adapter by default).
	await db.schema
		.createTable('message_log')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'sms')`))
		.addColumn('recipient', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('adapter', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// Aggregates of the city's dashboard read these by council and status.
	await sql`create index if not exists votes_open_council on votes (council_id) where status = 'open'`.execute(db);
	await sql`create index if not exists sittings_live on sittings (council_id) where status = 'in_progress'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists votes_open_council`.execute(db);
	await sql`drop index if exists sittings_live`.execute(db);
	for (const t of ['message_log', 'scheduled_jobs', 'notifications', 'petitions', 'consultation_answers', 'consultations', 'followup_reports', 'followup_tasks']) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
