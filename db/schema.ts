import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps come back as Date and may be written as Date or ISO string (or left to their default). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CouncilKind = 'city' | 'ward' | 'commune' | 'special_zone';
export type CouncilRole = 'delegate' | 'chair' | 'secretary' | 'clerk' | 'site_operator';
export type CityRole = 'admin' | 'monitor';

export interface CouncilsTable {
	id: Generated<string>;
	code: string;
	kind: CouncilKind;
	unit_name: string;
	name: string;
	search_name: string;
	former_province: string | null;
	former_district: string | null;
	merged_from: string | null;
	area_km2: string | null;
	term_label: Generated<string>;
	quorum_num: Generated<number>;
	quorum_den: Generated<number>;
	custom_rule_num: number | null;
	custom_rule_den: number | null;
	allow_vote_change: Generated<boolean>;
	created_at: Timestamp;
}

export interface UsersTable {
	id: Generated<string>;
	username: string;
	full_name: string;
	search_name: string;
	email: string | null;
	phone: string | null;
	password_hash: string;
	active: Generated<boolean>;
	created_at: Timestamp;
}

export interface CityRolesTable {
	user_id: string;
	role: CityRole;
}

export interface CouncilMembersTable {
	id: Generated<string>;
	council_id: string;
	user_id: string;
	role: CouncilRole;
	title: string | null;
	active: Generated<boolean>;
	created_at: Timestamp;
}

export interface SessionsTable {
	token_hash: string;
	user_id: string;
	created_at: Timestamp;
	expires_at: Timestamp;
	ip: string | null;
	user_agent: string | null;
}

export interface LoginFailuresTable {
	id: Generated<string>;
	username: string;
	ip: string;
	at: Timestamp;
}

export interface AuditLogTable {
	id: Generated<string>;
	at: Timestamp;
	user_id: string | null;
	council_id: string | null;
	action: string;
	details: ColumnType<unknown, string | undefined, string>;
}

export interface Database {
	councils: CouncilsTable;
	users: UsersTable;
	city_roles: CityRolesTable;
	council_members: CouncilMembersTable;
	sessions: SessionsTable;
	login_failures: LoginFailuresTable;
	audit_log: AuditLogTable;
}

export type Council = Selectable<CouncilsTable>;
export type NewCouncil = Insertable<CouncilsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
