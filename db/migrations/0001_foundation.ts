// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('councils')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('city', 'ward', 'commune', 'special_zone')`)
		)
		.addColumn('unit_name', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('search_name', 'text', (c) => c.notNull())
		.addColumn('former_province', 'text')
		.addColumn('former_district', 'text')
		.addColumn('merged_from', 'text')
		.addColumn('area_km2', 'numeric')
		.addColumn('term_label', 'text', (c) => c.notNull().defaultTo('I'))
		// Per-council thresholds (domain.md: make every threshold a per-council setting).
		.addColumn('quorum_num', 'integer', (c) => c.notNull().defaultTo(2))
		.addColumn('quorum_den', 'integer', (c) => c.notNull().defaultTo(3))
		.addColumn('custom_rule_num', 'integer')
		.addColumn('custom_rule_den', 'integer')
		.addColumn('allow_vote_change', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('councils_quorum_fraction', sql`quorum_num > 0 and quorum_num <= quorum_den`)
		.execute();

	await db.schema
		.createTable('users')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('username', 'text', (c) => c.notNull().unique())
		.addColumn('full_name', 'text', (c) => c.notNull())
		.addColumn('search_name', 'text', (c) => c.notNull())
		.addColumn('email', 'text')
		.addColumn('phone', 'text')
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('users_username_lower', sql`username = lower(username)`)
		.execute();

	// City-wide roles: the city standing committee's monitors and administrators.
	await db.schema
		.createTable('city_roles')
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'monitor')`))
		.addPrimaryKeyConstraint('city_roles_pk', ['user_id', 'role'])
		.execute();

	// Roles are per council: a person can be a delegate of one council and nothing in another.
	await db.schema
		.createTable('council_members')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('delegate', 'chair', 'secretary', 'clerk', 'site_operator')`)
		)
		.addColumn('title', 'text')
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('council_members_unique', ['council_id', 'user_id', 'role'])
		.execute();
	await db.schema.createIndex('council_members_user').on('council_members').column('user_id').execute();

	await db.schema
		.createTable('sessions')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ip', 'text')
		.addColumn('user_agent', 'text')
		.execute();
	await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

	// Failed logins, shared by every app instance, so limits hold across instances and restarts.
	await db.schema
		.createTable('login_failures')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('username', 'text', (c) => c.notNull())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('login_failures_username').on('login_failures').columns(['username', 'at']).execute();
	await db.schema.createIndex('login_failures_ip').on('login_failures').columns(['ip', 'at']).execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('user_id', 'uuid')
		.addColumn('council_id', 'uuid')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['audit_log', 'login_failures', 'sessions', 'council_members', 'city_roles', 'users', 'councils']) {
		await db.schema.dropTable(table).execute();
	}
}
