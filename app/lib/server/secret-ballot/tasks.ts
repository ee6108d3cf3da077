/**
 * What the secret-ballot worker threads run (./worker.ts, through ./pool.ts): every proof check of the server,
 * so that none holds the event loop (a ballot is ~20 group multiplications, a few ms of CPU). Plain data in and
 * out; the libsodium group is made once per worker (`sodiumGroup()`, awaited before the worker says it is ready).
 * The committee's checks run in it too: a vote's close checks two partial decryptions twice (when posted, then
 * again before combining), each with its verification key rebuilt from the dealings.
 */
import { type BallotContext, verifyBallotIn } from '../../secret-ballot/ballot';
import type { BallotCheck } from '../../secret-ballot/reasons';
import { type CommitteeParams, type Dealing, checkDealing, jointPublicKey, verificationKey } from '../../secret-ballot/committee';
import { decodePoint } from '../../secret-ballot/codec';
import type { Group } from '../../secret-ballot/group';
import type { Ciphertext } from '../../secret-ballot/range-proof';
import { type EncryptedSum, checkPartial, combinePartials, encodeSums, sumCiphertexts } from '../../secret-ballot/tally';
import { sodiumGroup } from './group-sodium';

export async function verifyBallotJob(input: { ballot: unknown; ctx: BallotContext }): Promise<BallotCheck> {
	return verifyBallotIn(await sodiumGroup(), input.ballot, input.ctx);
}

/** The option-wise sums of ballots already verified when they were cast. */
export async function sumBallotsJob(input: { ballots: { c1: string; c2: string }[][]; options: number }): Promise<EncryptedSum[]> {
	const group = await sodiumGroup();
	const decoded = input.ballots.map((options) =>
		options.map((o): Ciphertext<Uint8Array> => {
			const c1 = decodePoint(group, o.c1);
			const c2 = decodePoint(group, o.c2);
			if (!c1 || !c2) throw new Error('secret-ballot: a stored ciphertext does not decode');
			return { c1, c2 };
		})
	);
	return encodeSums(group, sumCiphertexts(group, decoded, input.options));
}

export async function checkDealingJob(input: { params: CommitteeParams; dealing: unknown }): Promise<boolean> {
	return checkDealing(input.params, input.dealing, await sodiumGroup()) !== null;
}

export async function jointKeyJob(input: { params: CommitteeParams; dealings: Dealing[] }): Promise<string> {
	return jointPublicKey(input.params, input.dealings, await sodiumGroup());
}

interface PartialInput {
	params: CommitteeParams;
	dealings: Dealing[];
	publicKey: string;
	sums: EncryptedSum[];
}

/** Member `index`'s shares if its partial decryption of the sums holds against its verification key, else null. */
function checkedShares(input: PartialInput, index: number, partial: unknown, group: Group<Uint8Array>): Uint8Array[] | null {
	const key = verificationKey(input.params, input.dealings, index, group);
	return checkPartial(partial, input.sums, key, { voteId: input.params.voteId, publicKey: input.publicKey }, group);
}

/** Whether member `index`'s partial decryption of the sums holds against its verification key. */
export async function checkPartialJob(input: PartialInput & { index: number; partial: unknown }): Promise<boolean> {
	return checkedShares(input, input.index, input.partial, await sodiumGroup()) !== null;
}

/** The counts from t checked partials (each checked again here: what is combined is what was proven). */
export async function countJob(
	input: PartialInput & {
		partials: { index: number; partial: unknown }[];
		ballots: number;
	}
): Promise<number[]> {
	const group = await sodiumGroup();
	const checked = input.partials.map((p) => {
		const shares = checkedShares(input, p.index, p.partial, group);
		if (!shares) throw new Error(`secret-ballot: the partial decryption of member ${p.index} does not hold`);
		return { index: p.index, shares };
	});
	return combinePartials(input.sums, checked, input.params.threshold, input.ballots, group);
}

export const secretTasks = {
	verifyBallot: verifyBallotJob,
	sumBallots: sumBallotsJob,
	checkDealing: checkDealingJob,
	jointKey: jointKeyJob,
	checkPartial: checkPartialJob,
	count: countJob
};
