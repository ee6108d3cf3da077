// Comparing kept signed heads with a chain as the database holds it now: the one rule behind the check page and
// `npm run verify:chain -- <sittingId> --witness <file>`. A witness file is what the check page downloads.
import { asSignedAnchor, verifyAnchor, type SignedAnchor } from './anchor';

export const WITNESS_FORMAT = 'nghi-truong-so/chain-witness/v1';

export interface WitnessFile {
	format: typeof WITNESS_FORMAT;
	sittingId: string;
	anchors: SignedAnchor[];
}

export function witnessFile(sittingId: string, anchors: SignedAnchor[]): WitnessFile {
	return { format: WITNESS_FORMAT, sittingId, anchors };
}

/** A parsed witness file, or null when it is not one (wrong format, or an entry that is not a signed head). */
export function parseWitness(value: unknown): WitnessFile | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Record<string, unknown>;
	if (v.format !== WITNESS_FORMAT || typeof v.sittingId !== 'string' || !Array.isArray(v.anchors)) return null;
	const anchors = v.anchors.map(asSignedAnchor);
	if (anchors.some((a) => a === null)) return null;
	return {
		format: WITNESS_FORMAT,
		sittingId: v.sittingId,
		anchors: anchors as SignedAnchor[]
	};
}

/**
 * - `match`: the chain's event `seq` has the kept hash.
 * - `altered`: it has another hash — the history up to that event was rewritten.
 * - `missing`: the chain is shorter than the kept head — events were removed.
 * - `bad_signature`: not signed by the council's key (or for another sitting): proves nothing either way.
 */
export type AnchorVerdict = 'match' | 'altered' | 'missing' | 'bad_signature';

export interface AnchorCheck {
	anchor: SignedAnchor;
	verdict: AnchorVerdict;
	/** The chain's hash at the anchor's seq now, when it has one. */
	chainHash: string | null;
}

/** The chain as the database holds it now: its length and the hashes of the events asked about. */
export interface ChainAt {
	length: number;
	hashes: Map<number, string>;
}

export async function checkAnchors(sittingId: string, anchors: SignedAnchor[], chain: ChainAt, spki: Uint8Array<ArrayBuffer> | null): Promise<AnchorCheck[]> {
	const checks: AnchorCheck[] = [];
	for (const anchor of [...anchors].sort((a, b) => a.seq - b.seq)) {
		const chainHash = chain.hashes.get(anchor.seq) ?? null;
		let verdict: AnchorVerdict;
		if (anchor.sittingId !== sittingId || !spki || !(await verifyAnchor(anchor, spki))) verdict = 'bad_signature';
		else if (anchor.seq > chain.length || chainHash === null) verdict = 'missing';
		else verdict = chainHash === anchor.hash ? 'match' : 'altered';
		checks.push({ anchor, verdict, chainHash });
	}
	return checks;
}

/** The first kept head the chain contradicts (the record was rewritten), or null when none does. */
export function firstContradiction(checks: AnchorCheck[]): AnchorCheck | null {
	return checks.find((c) => c.verdict === 'altered' || c.verdict === 'missing') ?? null;
}
