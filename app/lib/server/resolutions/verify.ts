import type { Db } from '../../../../db/client.js';
import { isSigningError, verifyPdf, vnDateTime } from '../../../../signing/index';
import { translate, type Locale } from '../../i18n';
import { revokedSerials, trustedRoots } from './pki';
import { sha256Hex } from './service';

export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

export interface VerifyReport {
	ok: true;
	sha256: string;
	signatures: {
		fieldName: string | null;
		signer: string;
		organization: string | null;
		signingTime: string | null;
		signingTimeVn: string | null;
		intact: boolean;
		coversWholeDocument: boolean;
		chainTrusted: boolean;
		certificate: { subject: string; issuer: string; serial: string; notBefore: string; notAfter: string } | null;
		problems: { code: string; message: string }[];
	}[];
	registry: { matches: boolean; resolutionId?: string; number?: string | null; revision?: number; status?: string; latest?: boolean };
}

export type VerifyOutcome = VerifyReport | { ok: false; code: string; message: string };

function organizationOf(subject: string | undefined): string | null {
	const m = subject ? /(?:^|,\s*)O=([^,]+)/.exec(subject) : null;
	return m ? m[1] : null;
}

/**
 * Verifies a PDF's signatures against the councils' CAs and looks its SHA-256 up among the archived revisions.
 * Hostile input ends in `{ok: false}` with a translated message, never an exception.
 */
export async function verifyDocument(db: Db, bytes: Uint8Array, locale: Locale = 'vi'): Promise<VerifyOutcome> {
	if (bytes.length > VERIFY_MAX_BYTES) return { ok: false, code: 'PDF_TOO_LARGE', message: translate(locale, 'verify.tooLarge') };
	let result;
	try {
		result = verifyPdf(bytes, { trustedRoots: await trustedRoots(db), revokedSerials: await revokedSerials(db), maxBytes: VERIFY_MAX_BYTES });
	} catch (err) {
		if (isSigningError(err)) return { ok: false, code: err.code, message: translate(locale, err.code) };
		return { ok: false, code: 'MALFORMED_PDF', message: translate(locale, 'MALFORMED_PDF') };
	}
	const sha256 = sha256Hex(bytes);
	const hit = await db
		.selectFrom('resolution_revisions as v')
		.innerJoin('resolutions as r', 'r.id', 'v.resolution_id')
		.select(['r.id', 'r.number', 'r.status', 'v.revision'])
		.where('v.sha256', '=', sha256)
		.orderBy('v.revision', 'desc')
		.executeTakeFirst();
	let registry: VerifyReport['registry'] = { matches: false };
	if (hit) {
		const latest = await db.selectFrom('resolution_revisions').select((eb) => eb.fn.max('revision').as('max')).where('resolution_id', '=', hit.id).executeTakeFirst();
		registry = { matches: true, resolutionId: hit.id, number: hit.number, revision: hit.revision, status: hit.status, latest: Number(latest?.max) === hit.revision };
	}
	return {
		ok: true,
		sha256,
		signatures: result.signatures.map((s) => ({
			fieldName: s.fieldName,
			signer: s.signerName,
			organization: organizationOf(s.certificate?.subject),
			signingTime: s.signingTime?.toISOString() ?? null,
			signingTimeVn: s.signingTime ? vnDateTime(s.signingTime) : null,
			intact: s.intact,
			coversWholeDocument: s.coversWholeDocument,
			chainTrusted: s.chainTrusted,
			certificate: s.certificate
				? {
						subject: s.certificate.subject,
						issuer: s.certificate.issuer,
						serial: s.certificate.serial,
						notBefore: s.certificate.notBefore.toISOString(),
						notAfter: s.certificate.notAfter.toISOString()
					}
				: null,
			problems: s.problems.map((code) => ({ code, message: translate(locale, `verify.problem.${code}`) }))
		})),
		registry
	};
}
