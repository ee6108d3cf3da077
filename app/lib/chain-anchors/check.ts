// The "check the record" page's comparison: the heads this device kept against the chain the server holds now.
// The server only answers what its database holds; the verdict is reached here, against what this device saw live.
import { trpc } from '$lib/trpc';
import { fromBase64, type SignedAnchor } from './anchor';
import { keptAnchors } from './keep';
import { checkAnchors, type AnchorCheck } from './witness';

export type ChainReport =
	| { ok: true; events: number; head: string }
	| {
			ok: false;
			events: number;
			firstBadSeq: number;
			reason: string;
			voteId?: string;
	  };

export type RecordCheck =
	| { state: 'no-storage' }
	| { state: 'none-kept'; report: ChainReport }
	| {
			state: 'done';
			anchors: SignedAnchor[];
			checks: AnchorCheck[];
			length: number;
			report: ChainReport;
	  };

export async function checkRecord(sittingId: string): Promise<RecordCheck> {
	const anchors = await keptAnchors(sittingId);
	if (anchors === null) return { state: 'no-storage' };
	const view = await trpc.sitting.chainHeads.query({
		sittingId,
		seqs: anchors.slice(-500).map((a) => a.seq)
	});
	if (anchors.length === 0) return { state: 'none-kept', report: view.report };
	const spki = view.publicKey ? fromBase64(view.publicKey) : null;
	const checks = await checkAnchors(
		sittingId,
		anchors,
		{
			length: view.length,
			hashes: new Map(view.hashes.map((h) => [h.seq, h.hash]))
		},
		spki
	);
	return {
		state: 'done',
		anchors,
		checks,
		length: view.length,
		report: view.report
	};
}
