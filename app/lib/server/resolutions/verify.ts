import type { Db } from '../../../../db/client.js';
import { documentVerdict, vnDateTime, type VerdictCode } from '../../../../signing/index';
import { translate, type Locale } from '../../i18n';
import { log } from '../log';
import { pdfJobs } from '../pdf-jobs/pool';
import { WorkerJobError } from '../worker-pool/pool';
import { revocations, trustedRoots } from './pki';
import { sha256Hex } from './service';

export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

export interface VerifyReport {
	ok: true;
	/** One sentence first, the worst finding (signing/verdict.ts); `valid` only for VALID. */
	verdict: { code: VerdictCode; valid: boolean; message: string };
	/** Changes after signing that the policy does not allow, by the revision of the file that made them. */
	modifications: { revision: number; changes: { objectNumber: number; kind: string; message: string }[] }[];
	/** The first signature certifies the document (DocMDP: only form filling and signing may follow). */
	certified: boolean;
	sha256: string;
	signatures: {
		fieldName: string | null;
		signer: string;
		organization: string | null;
		/** The signature timestamp's time when it is valid and trusted (PAdES B-T), else the signer's claim. */
		signingTime: string | null;
		signingTimeVn: string | null;
		/** The signer's own claim (/M). */
		claimedTime: string | null;
		claimedTimeVn: string | null;
		/** The signature timestamp, when present and sound; `trusted`: its TSA chains to a council CA. */
		timestamp: { time: string; timeVn: string; trusted: boolean } | null;
		intact: boolean;
		coversWholeDocument: boolean;
		chainTrusted: boolean;
		certificate: { subject: string; issuer: string; serial: string; notBefore: string; notAfter: string } | null;
		problems: { code: string; message: string }[];
	}[];
	/** Document timestamps (PAdES B-LTA): the city TSA vouches for the whole file at `time`; nobody signs. */
	documentTimestamps: { fieldName: string | null; time: string | null; timeVn: string | null; intact: boolean; trusted: boolean; coversWholeDocument: boolean; problems: { code: string; message: string }[] }[];
	registry: { matches: boolean; resolutionId?: string; number?: string | null; revision?: number; status?: string; latest?: boolean };
}

/** A refusal: 413 too large, 503 when the verification workers are busy or unavailable, 400 otherwise. */
export type VerifyOutcome = VerifyReport | { ok: false; code: string; message: string; status: 400 | 413 | 503 };

function organizationOf(subject: string | undefined): string | null {
	const m = subject ? /(?:^|,\s*)O=([^,]+)/.exec(subject) : null;
	return m ? m[1] : null;
}

/**
 * Verifies a PDF's signatures against the councils' CAs and looks its SHA-256 up among the archived revisions.
 * Hostile input ends in `{ok: false}` with a translated message, never an exception. The verification itself
 * runs in the PDF worker pool (CPU-bound and public: it must not hold the event loop), with a time budget; the
 * database is read here and the worker gets plain data.
 */
export async function verifyDocument(db: Db, bytes: Uint8Array, locale: Locale = 'vi'): Promise<VerifyOutcome> {
	const refuse = (code: string, key: string, status: 400 | 413 | 503): VerifyOutcome => ({ ok: false, code, message: translate(locale, key), status });
	if (bytes.length > VERIFY_MAX_BYTES) return refuse('PDF_TOO_LARGE', 'verify.tooLarge', 413);
	const [roots, revoked] = await Promise.all([trustedRoots(db), revocations(db)]);
	let outcome;
	try {
		outcome = await pdfJobs().run('verify', { bytes, trustedRoots: roots, revoked, maxBytes: VERIFY_MAX_BYTES });
	} catch (err) {
		if (!(err instanceof WorkerJobError)) throw err;
		// Overran its time budget or its worker's memory: the file is what made it so.
		if (err.code === 'TIMEOUT' || err.code === 'CRASHED') return refuse('verify.tooComplex', 'verify.tooComplex', 400);
		if (err.code === 'BUSY') return refuse('verify.busy', 'verify.busy', 503);
		log.error('PDF verification could not run', { err });
		return refuse('verify.unavailable', 'verify.unavailable', 503);
	}
	if (!outcome.ok) return refuse(outcome.code, outcome.code, outcome.code === 'PDF_TOO_LARGE' ? 413 : 400);
	const result = outcome.result;
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
	const verdict = documentVerdict(result);
	const verdictText = translate(locale, `verify.verdict.${verdict.code}`, { signers: verdict.signers.join(', '), revision: verdict.revision ?? 0 });
	return {
		ok: true,
		verdict: {
			code: verdict.code,
			valid: verdict.code === 'VALID',
			message: verdict.code === 'VALID' && registry.matches ? `${verdictText} ${translate(locale, 'verify.verdictRegistry')}` : verdictText
		},
		modifications: result.modifications.map((m) => ({
			revision: m.revision,
			changes: m.changes.map((c) => ({
				objectNumber: c.objectNumber,
				kind: c.kind,
				message: translate(locale, 'verify.modificationLine', { revision: m.revision, what: translate(locale, `verify.kind.${c.kind}`), object: c.objectNumber })
			}))
		})),
		certified: result.certification !== null,
		sha256,
		signatures: result.signatures.map((s) => ({
			fieldName: s.fieldName,
			signer: s.signerName,
			organization: organizationOf(s.certificate?.subject),
			signingTime: s.signingTime?.toISOString() ?? null,
			signingTimeVn: s.signingTime ? vnDateTime(s.signingTime) : null,
			claimedTime: s.claimedTime?.toISOString() ?? null,
			claimedTimeVn: s.claimedTime ? vnDateTime(s.claimedTime) : null,
			timestamp: s.timestamp ? { time: s.timestamp.time.toISOString(), timeVn: vnDateTime(s.timestamp.time), trusted: s.timestamp.trusted } : null,
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
		documentTimestamps: result.documentTimestamps.map((t) => ({
			fieldName: t.fieldName,
			time: t.time?.toISOString() ?? null,
			timeVn: t.time ? vnDateTime(t.time) : null,
			intact: t.intact,
			trusted: t.trusted,
			coversWholeDocument: t.coversWholeDocument,
			problems: t.problems.map((code) => ({ code, message: translate(locale, `verify.problem.${code}`) }))
		})),
		registry
	};
}
