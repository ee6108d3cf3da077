/**
 * The encrypted secret ballot driven through its procedures, with the crypto core playing each committee member's
 * and each delegate's browser (in production every part below runs on that person's own device).
 */
import {
	type MemberSecret,
	type TransportKey,
	combineShares,
	committeeParams,
	createDealing,
	createTransportKey,
	encryptBallot,
	openShare,
	partialDecrypt,
	sealShare
} from '../../app/lib/secret-ballot';
import type { BallotSpec } from '../../app/lib/secret-ballot/spec';
import type { EncryptedSum } from '../../app/lib/secret-ballot/tally';
import { as, userIdOf } from './callers';
import { sittingInProgress } from './sittings';

export type Caller = Awaited<ReturnType<typeof as>>;

export const COMMITTEE = ['delegate.26743.1', 'delegate.26743.2', 'delegate.26743.3'];

/** Members post their transport keys, then their dealings with shares sealed to every member. */
export async function runCeremony(setupId: string, members: Caller[], threshold = 2) {
	const params = committeeParams(setupId, threshold, members.length);
	const transport: TransportKey[] = members.map(() => createTransportKey());
	for (let i = 0; i < members.length; i++)
		await members[i].secretBallot.postTransportKey({
			setupId,
			key: transport[i].public
		});
	const view = await members[0].secretBallot.setup({ setupId });
	const keys = view.members.map((m) => m.transportKey!);
	let last: { ready: boolean; publicKey: string | null } = {
		ready: false,
		publicKey: null
	};
	for (let i = 0; i < members.length; i++) {
		const { dealing, shares } = createDealing(params, i + 1);
		const sealed = shares.map((s) => sealShare(setupId, i + 1, s.to, keys[s.to - 1], s.share));
		last = await members[i].secretBallot.postDealing({
			setupId,
			dealing,
			sealed
		});
	}
	return { params, transport, ready: last.ready, publicKey: last.publicKey };
}

/** Each member opens the shares sealed to it and keeps its member secret (its saved file). */
export async function memberSecrets(setupId: string, members: Caller[], transport: TransportKey[], threshold = 2): Promise<MemberSecret[]> {
	const params = committeeParams(setupId, threshold, members.length);
	const out: MemberSecret[] = [];
	for (let i = 0; i < members.length; i++) {
		const mine = await members[i].secretBallot.shares({ setupId });
		const received = mine.sealed.map((s) => ({
			from: s.from,
			share: openShare(setupId, transport[i], s)!
		}));
		out.push(combineShares(params, i + 1, mine.dealings, received));
	}
	return out;
}

/** A sitting in progress with `present` checked in, and an encrypted yes/no/abstain vote prepared, keyed and opened. */
export async function openEncryptedVote(
	present = 30,
	opts: {
		options?: { candidates: { id: string; name: string }[]; maxChoices: number } | { persons: { id: string; name: string }[] };
		durationSec?: number;
	} = {}
) {
	const s = await sittingInProgress(present);
	const committee = await Promise.all(COMMITTEE.map((u) => userIdOf(u)));
	const { setupId } = await s.chair.secretBallot.prepare({
		sittingId: s.sittingId,
		itemId: s.itemId,
		question: 'Bỏ phiếu kín: thông qua tờ trình?',
		committee,
		options: opts.options,
		durationSec: opts.durationSec
	});
	const members = await Promise.all(COMMITTEE.map((u) => as(u)));
	const ceremony = await runCeremony(setupId, members);
	const secrets = await memberSecrets(setupId, members, ceremony.transport);
	const { voteId } = await s.chair.secretBallot.open({ setupId });
	return {
		...s,
		setupId,
		voteId,
		members,
		secrets,
		publicKey: ceremony.publicKey!
	};
}

/** What a delegate's page sends: `choice` an option index (yes 0, no 1, abstain 2) or several for an election. */
export async function encryptedBallotOf(voteId: string, publicKey: string, username: string, choice: number | number[], spec: BallotSpec = { options: 3, min: 1, max: 1 }) {
	const voterId = await userIdOf(username);
	return encryptBallot({
		...spec,
		publicKey,
		voteId,
		voterId,
		...(typeof choice === 'number' ? { choice } : { choices: choice })
	});
}

export function partialOf(secret: MemberSecret, sums: EncryptedSum[]) {
	return partialDecrypt(secret, sums);
}
