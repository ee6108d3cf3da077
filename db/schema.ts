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

/** A wrong signing-key passphrase (migration 0008), counted per user for the signing limit. */
export interface SigningFailuresTable {
	id: Generated<string>;
	user_id: string;
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

export type SittingKind = 'regular' | 'thematic' | 'extraordinary';
export type SittingStatus = 'draft' | 'convened' | 'in_progress' | 'closed';
export type AgendaItemKind = 'report' | 'submission' | 'questioning' | 'election' | 'dismissal' | 'confidence' | 'other';
export type AttendanceStatus = 'present_hall' | 'present_remote' | 'absent_excused' | 'absent';
export type FloorKind = 'speech' | 'question' | 'point_of_order';
export type FloorStatus = 'queued' | 'speaking' | 'done' | 'withdrawn';
export type VoteKind = 'open' | 'secret';
export type BallotType = 'yes_no_abstain' | 'election' | 'confidence';
export type VoteStatus = 'open' | 'closed' | 'void';
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;

export interface SittingsTable {
	id: Generated<string>;
	council_id: string;
	kind: SittingKind;
	number: number;
	title: string;
	starts_at: Timestamp;
	ends_at: Timestamp | null;
	venue: string | null;
	hybrid: Generated<boolean>;
	status: Generated<SittingStatus>;
	current_item_id: string | null;
	last_seq: Generated<number>;
	head_hash: Generated<string>;
	created_by: string | null;
	created_at: Timestamp;
	convened_at: Timestamp | null;
	started_at: Timestamp | null;
	closed_at: Timestamp | null;
}

export interface AgendaItemsTable {
	id: Generated<string>;
	sitting_id: string;
	position: number;
	kind: AgendaItemKind;
	title: string;
	presenter: string | null;
	planned_minutes: number | null;
	created_at: Timestamp;
}

export interface DocumentsTable {
	id: Generated<string>;
	sitting_id: string;
	item_id: string | null;
	title: string;
	filename: string;
	size_bytes: number;
	sha256: string;
	content: Buffer;
	uploaded_by: string | null;
	uploaded_at: Timestamp;
}

export interface AttendanceTable {
	sitting_id: string;
	user_id: string;
	status: AttendanceStatus;
	reason: string | null;
	updated_by: string | null;
	updated_at: Timestamp;
}

export interface FloorRequestsTable {
	id: Generated<string>;
	sitting_id: string;
	item_id: string | null;
	user_id: string;
	kind: FloorKind;
	status: Generated<FloorStatus>;
	position: number | null;
	allotted_sec: number | null;
	requested_at: Timestamp;
	started_at: Timestamp | null;
	ended_at: Timestamp | null;
}

export interface SittingEventsTable {
	sitting_id: string;
	seq: number;
	type: string;
	payload: Json;
	created_at: string;
	prev_hash: string;
	hash: string;
}

export interface VotesTable {
	id: Generated<string>;
	sitting_id: string;
	item_id: string;
	council_id: string;
	question: string;
	kind: VoteKind;
	ballot_type: BallotType;
	options: NullableJson;
	rule: Json;
	allow_change: Generated<boolean>;
	status: Generated<VoteStatus>;
	void_reason: string | null;
	opened_by: string | null;
	opened_at: Timestamp;
	closes_at: Timestamp | null;
	closed_at: Timestamp | null;
	ballots_cast: Generated<number>;
	result: NullableJson;
}

export interface OpenBallotsTable {
	vote_id: string;
	user_id: string;
	choice: Json;
	idempotency_key: string | null;
	cast_at: Timestamp;
}

/** A closed secret vote from before the encrypted ballot: its box's {receipt, choice} pairs, sorted by receipt. */
export interface ArchivedSecretBallotsTable {
	vote_id: string;
	ballots: Json;
}

/** Issue 17: a secret vote prepared with its counting committee; once opened, `votes.id` = this id. */
export type SecretSetupPhase = 'keying' | 'ready' | 'opened' | 'cancelled';

export interface SecretVoteSetupsTable {
	id: Generated<string>;
	sitting_id: string;
	item_id: string;
	council_id: string;
	question: string;
	ballot_type: 'yes_no_abstain' | 'election' | 'confidence';
	options: NullableJson;
	rule: Json;
	duration_sec: number | null;
	threshold: number;
	members: number;
	phase: Generated<SecretSetupPhase>;
	public_key: string | null;
	cancel_reason: NullableJson;
	vote_id: string | null;
	created_by: string;
	created_at: Generated<Timestamp>;
}

export interface SecretCommitteeMembersTable {
	setup_id: string;
	idx: number;
	user_id: string;
	transport_key: string | null;
	dealing: NullableJson;
}

export interface SecretSealedSharesTable {
	setup_id: string;
	from_idx: number;
	to_idx: number;
	sealed: Json;
}

export interface EncryptedBallotsTable {
	vote_id: string;
	user_id: string;
	tracker: string;
	ballot: Json;
}

export interface EncryptedTalliesTable {
	vote_id: string;
	sums: Json;
	ballots: number;
	seated: number;
	present: number;
	counts: NullableJson;
	counted_at: Timestamp | null;
}

export interface SecretPartialsTable {
	vote_id: string;
	idx: number;
	partial: Json;
}

export interface Database {
	councils: CouncilsTable;
	users: UsersTable;
	city_roles: CityRolesTable;
	council_members: CouncilMembersTable;
	sessions: SessionsTable;
	login_failures: LoginFailuresTable;
	signing_failures: SigningFailuresTable;
	audit_log: AuditLogTable;
	sittings: SittingsTable;
	agenda_items: AgendaItemsTable;
	documents: DocumentsTable;
	attendance: AttendanceTable;
	floor_requests: FloorRequestsTable;
	sitting_events: SittingEventsTable;
	votes: VotesTable;
	open_ballots: OpenBallotsTable;
	archived_secret_ballots: ArchivedSecretBallotsTable;
	secret_vote_setups: SecretVoteSetupsTable;
	secret_committee_members: SecretCommitteeMembersTable;
	secret_sealed_shares: SecretSealedSharesTable;
	encrypted_ballots: EncryptedBallotsTable;
	encrypted_tallies: EncryptedTalliesTable;
	secret_partials: SecretPartialsTable;
	conferences: ConferencesTable;
	conference_sites: ConferenceSitesTable;
	media_webhook_events: MediaWebhookEventsTable;
	council_cas: CouncilCasTable;
	tsa_identities: TsaIdentitiesTable;
	council_crls: CouncilCrlsTable;
	signing_identities: SigningIdentitiesTable;
	user_signers: UserSignersTable;
	token_certificates: TokenCertificatesTable;
	resolution_counters: ResolutionCountersTable;
	resolutions: ResolutionsTable;
	resolution_revisions: ResolutionRevisionsTable;
	followup_tasks: FollowupTasksTable;
	followup_reports: FollowupReportsTable;
	consultations: ConsultationsTable;
	consultation_answers: ConsultationAnswersTable;
	petitions: PetitionsTable;
	notifications: NotificationsTable;
	scheduled_jobs: ScheduledJobsTable;
	message_log: MessageLogTable;
}

export type Council = Selectable<CouncilsTable>;
export type NewCouncil = Insertable<CouncilsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;

// Video conferences (migration 0004, media owner).
export type ConferenceStatus = 'scheduled' | 'live' | 'ended';
export type SiteConnectionQuality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

export interface ConferencesTable {
	id: Generated<string>;
	council_id: string;
	sitting_id: string | null;
	title: string;
	status: Generated<ConferenceStatus>;
	created_by: string | null;
	created_at: Timestamp;
}

export interface ConferenceSitesTable {
	conference_id: string;
	council_id: string;
	status: Generated<'online' | 'offline'>;
	mic_published: Generated<boolean>;
	camera_published: Generated<boolean>;
	connection_quality: Generated<SiteConnectionQuality>;
	hand_raised: Generated<boolean>;
	last_event_at: Timestamp | null;
}

export interface MediaWebhookEventsTable {
	id: string;
	received_at: Timestamp;
}

// Resolutions and their signatures (migration 0003, resolutions owner).
export type ResolutionStatus = 'draft' | 'adopted' | 'signed' | 'issued';
export type SigningIdentityKind = 'person' | 'organisation';

export interface CouncilCasTable {
	council_id: string;
	certificate: Uint8Array;
	private_key_enc: Uint8Array;
	created_at: Timestamp;
}

/** A council CA's current revocation list (migration 0012), DER. */
export interface CouncilCrlsTable {
	council_id: string;
	crl: Uint8Array;
	crl_number: number;
	revoked_count: number;
	this_update: Date;
	next_update: Date;
	created_at: Timestamp;
}

/** The city's timestamp authority (migration 0009): certificate under the city council's CA, key sealed like a CA's. */
export interface TsaIdentitiesTable {
	id: Generated<string>;
	issuer_council_id: string;
	certificate: Uint8Array;
	private_key_enc: Uint8Array;
	not_after: Timestamp;
	created_at: Timestamp;
}

export interface SigningIdentitiesTable {
	id: Generated<string>;
	user_id: string;
	council_id: string;
	kind: SigningIdentityKind;
	certificate: Uint8Array;
	/** A PKCS#12 written before migration 0010, until its first unlock converts it; otherwise null. */
	pkcs12: Uint8Array | null;
	/** Encrypted PKCS#8 DER of the key (signing/key-store.ts); null while the row still holds `pkcs12`. */
	private_key: Uint8Array | null;
	/** DER of the issuers of `certificate`, root last; null while the row still holds `pkcs12`. */
	chain: Uint8Array[] | null;
	serial: string;
	not_before: Timestamp;
	not_after: Timestamp;
	external: Generated<boolean>;
	revoked_at: Timestamp | null;
	created_at: Timestamp;
}

export interface ResolutionCountersTable {
	council_id: string;
	year: number;
	last: number;
}

export interface ResolutionsTable {
	id: Generated<string>;
	council_id: string;
	sitting_id: string;
	item_id: string;
	title: string;
	body: ColumnType<unknown, string, string>;
	status: Generated<ResolutionStatus>;
	vote_id: string | null;
	number: string | null;
	year: number | null;
	seq: number | null;
	adopted_at: Timestamp | null;
	signed_at: Timestamp | null;
	issued_at: Timestamp | null;
	short_code: string;
	created_by: string | null;
	created_at: Timestamp;
}

export interface ResolutionRevisionsTable {
	resolution_id: string;
	revision: number;
	pdf: Uint8Array;
	sha256: string;
	signer_user_id: string | null;
	/** How the revision's signature was made (migration 0013); null for revision 0 and older revisions. */
	signer_method: Generated<SignerMethod | null>;
	created_at: Timestamp;
}

/** How a person signs (migration 0013): the key kept here, a PKCS#11 token, a remote signing service. */
export type SignerMethod = 'server' | 'pkcs11' | 'remote';

export interface UserSignersTable {
	user_id: string;
	method: SignerMethod;
	token_label: string | null;
	key_label: string | null;
	/** The user's bearer token at the remote signing service, sealed (resolutions/secret.ts). */
	remote_token_enc: Uint8Array | null;
	updated_at: Generated<Timestamp>;
}

/** The council CA's certificate for a key on a person's token (migration 0013). */
export interface TokenCertificatesTable {
	id: Generated<string>;
	user_id: string;
	council_id: string;
	token_label: string;
	key_label: string;
	certificate: Uint8Array;
	chain: Uint8Array[];
	serial: string;
	not_after: Timestamp;
	revoked_at: Timestamp | null;
	created_at: Generated<Timestamp>;
}

// The city's view: follow-up, consultations, petitions, notifications, stored jobs (migration 0005, city-view owner).
export type FollowupStatus = 'open' | 'done';
export type ConsultationStatus = 'open' | 'closed';
export type ConsultationChoice = 'agree' | 'disagree' | 'comment';
export type PetitionStatus = 'received' | 'assigned' | 'answered' | 'closed';

export interface FollowupTasksTable {
	id: Generated<string>;
	council_id: string;
	/** References resolutions (id, council_id) since migration 0006: a resolution of the task's own council. */
	resolution_id: string | null;
	resolution_ref: string | null;
	title: string;
	agency: string;
	assignee_user_id: string | null;
	deadline: Timestamp;
	expected_result: string | null;
	progress: Generated<number>;
	status: Generated<FollowupStatus>;
	overdue_at: Timestamp | null;
	completed_at: Timestamp | null;
	created_by: string | null;
	created_at: Timestamp;
}

export interface FollowupReportsTable {
	id: Generated<string>;
	task_id: string;
	percent: number;
	text: string;
	reported_by: string | null;
	created_at: Timestamp;
}

export interface ConsultationsTable {
	id: Generated<string>;
	council_id: string;
	title: string;
	question: string;
	deadline: Timestamp;
	status: Generated<ConsultationStatus>;
	seated: number;
	created_by: string | null;
	created_at: Timestamp;
	closed_at: Timestamp | null;
}

export interface ConsultationAnswersTable {
	consultation_id: string;
	user_id: string;
	choice: ConsultationChoice;
	comment: string | null;
	answered_at: Timestamp;
}

export interface PetitionsTable {
	id: Generated<string>;
	council_id: string;
	topic: string;
	area: string;
	text: string;
	status: Generated<PetitionStatus>;
	agency: string | null;
	answer: string | null;
	created_by: string | null;
	created_at: Timestamp;
	assigned_at: Timestamp | null;
	answered_at: Timestamp | null;
	answered_by: string | null;
}

export interface NotificationsTable {
	id: Generated<string>;
	user_id: string;
	kind: string;
	title: string;
	body: Generated<string>;
	link: string | null;
	council_id: string | null;
	created_at: Timestamp;
	read_at: Timestamp | null;
}

export interface ScheduledJobsTable {
	id: Generated<string>;
	run_at: Timestamp;
	kind: string;
	payload: ColumnType<unknown, string | undefined, string>;
	dedupe_key: string | null;
	attempts: Generated<number>;
	last_error: string | null;
	created_at: Timestamp;
	done_at: Timestamp | null;
}

export interface MessageLogTable {
	id: Generated<string>;
	channel: 'email' | 'sms';
	recipient: string;
	subject: string;
	adapter: string;
	sent_at: Timestamp;
}
