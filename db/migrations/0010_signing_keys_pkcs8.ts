// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// Signing keys kept as encrypted PKCS#8 (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), which node:crypto opens natively,
// with the certificate chain beside them (`chain`: the issuers' DER, root last; the signer's own certificate is
// already in `certificate`), instead of a PKCS#12 (`pkcs12`). A PKCS#12 cannot be re-encrypted without its
// passphrase, which is never stored, so rows written before keep their `pkcs12` until the key is first unlocked
// for a signature: the app then writes `private_key` and `chain` and clears `pkcs12` (resolutions/pki.ts). A row
// holds exactly one of the two forms.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table signing_identities
		add column private_key bytea,
		add column chain bytea[],
		alter column pkcs12 drop not null,
		add constraint signing_identities_one_key_form check (
			(pkcs12 is not null and private_key is null and chain is null)
			or (pkcs12 is null and private_key is not null and chain is not null)
		)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	// A converted key cannot go back to a PKCS#12 without its passphrase: refuse rather than lose it.
	const { rows } = await sql<{
		n: number;
	}>`select count(*)::int as n from signing_identities where pkcs12 is null`.execute(db);
	if (rows[0].n > 0) throw new Error(`${rows[0].n} signing keys are stored as encrypted PKCS#8 and cannot be turned back into PKCS#12`);
	await sql`alter table signing_identities
		drop constraint signing_identities_one_key_form,
		alter column pkcs12 set not null,
		drop column chain,
		drop column private_key`.execute(db);
}
