/**
 * One verdict for a verified document, the first thing a citizen reads: the worst finding wins,
 * in this order — no signature, a signature that does not check out, content changed after
 * signing, a signer outside the trusted CAs, a signature short of the standard, or valid.
 */
import type { VerifyResult } from './verify.js';

export type VerdictCode = 'NO_SIGNATURES' | 'SIGNATURE_BROKEN' | 'MODIFIED_AFTER_SIGNING' | 'UNTRUSTED' | 'NOT_STANDARD' | 'VALID';

export interface Verdict {
	code: VerdictCode;
	/** Signers in signing order, for "signed by …". */
	signers: string[];
	/** The first revision with a disallowed change, when the code is MODIFIED_AFTER_SIGNING. */
	revision?: number;
}

/** `trustChecked: false` when no trusted roots were given (the CLI without --ca): trust is not judged. */
export function documentVerdict(result: VerifyResult, opts: { trustChecked?: boolean } = {}): Verdict {
	const trustChecked = opts.trustChecked ?? true;
	const signers = result.signatures.map((s) => s.signerName).filter(Boolean);
	const sigs = result.signatures;
	if (sigs.length === 0) return { code: 'NO_SIGNATURES', signers };
	if (sigs.some((s) => !s.intact)) return { code: 'SIGNATURE_BROKEN', signers };
	if (result.modifications.length > 0) return { code: 'MODIFIED_AFTER_SIGNING', signers, revision: result.modifications[0].revision };
	if (trustChecked && sigs.some((s) => !s.chainTrusted)) return { code: 'UNTRUSTED', signers };
	// Without trusted roots neither the signer's chain nor the timestamp authority's can be judged.
	const judged = (p: string) => (p !== 'CHAIN_UNTRUSTED' && p !== 'TIMESTAMP_UNTRUSTED' && p !== 'DOC_TIMESTAMP_UNTRUSTED') || trustChecked;
	// A document timestamp (B-LTA) that does not check out leaves the signatures standing but the document short of it.
	const other = [...sigs, ...result.documentTimestamps].some((s) => s.problems.some(judged));
	return { code: other ? 'NOT_STANDARD' : 'VALID', signers };
}
