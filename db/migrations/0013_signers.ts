// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// How each person signs (issue 18 §3, keys off the server): with the key the server keeps under their passphrase
// ('server', the default), with a key on a PKCS#11 token ('pkcs11': the token's and the key's labels; the module is
// the operator's PKCS11_MODULE, never a user's choice), or through a remote signing service ('remote': the user's
// bearer token at the operator's REMOTE_SIGNER_URL, sealed like the CA keys). A token key's certificate, issued by
// the council's CA for the token's public key, is kept per council in `token_certificates`. Each stored revision
// names the way it was signed (`signer_method`; null for revision 0 and for revisions signed before this).
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('user_signers')
		.addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
		.addColumn('method', 'text', (c) => c.notNull().defaultTo('server').check(sql`method in ('server', 'pkcs11', 'remote')`))
		.addColumn('token_label', 'text')
		.addColumn('key_label', 'text')
		.addColumn('remote_token_enc', 'bytea')
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint(
			'user_signers_method_fields',
			sql`(method <> 'pkcs11' or (token_label is not null and key_label is not null)) and (method <> 'remote' or remote_token_enc is not null)`
		)
		.execute();
	await db.schema
		.createTable('token_certificates')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
		.addColumn('token_label', 'text', (c) => c.notNull())
		.addColumn('key_label', 'text', (c) => c.notNull())
		.addColumn('certificate', 'bytea', (c) => c.notNull())
		.addColumn('chain', sql`bytea[]`, (c) => c.notNull())
		.addColumn('serial', 'text', (c) => c.notNull())
		.addColumn('not_after', 'timestamptz', (c) => c.notNull())
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	// One current certificate per person, council and token key; replaced ones stay revoked, for verification.
	await sql`create unique index token_certificates_current on token_certificates (user_id, council_id, token_label, key_label) where revoked_at is null`.execute(db);
	await sql`alter table resolution_revisions add column signer_method text check (signer_method in ('server', 'pkcs11', 'remote'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table resolution_revisions drop column if exists signer_method`.execute(db);
	await db.schema.dropTable('token_certificates').ifExists().execute();
	await db.schema.dropTable('user_signers').ifExists().execute();
}
