import { beforeAll, describe, expect, it } from 'vitest';
import {
	type Ballot,
	type BallotContext,
	encryptBallot,
	encryptVector,
	publicKeyPoint,
	verifyBallot,
	verifyBallotIn
} from '../../secret-ballot/ballot';
import { decodePoint, pointToHex } from '../../secret-ballot/codec';
import {
	G,
	type Group,
	IDENTITY,
	ORDER,
	mulSecret,
	multiScalar,
	nobleGroup,
	randomScalar,
	randomWeight
} from '../../secret-ballot/group';
import { checkDealing, jointPublicKey, verificationKey } from '../../secret-ballot/committee';
import { boundedLog } from '../../secret-ballot/dlog';
import { normaliseSpec } from '../../secret-ballot/spec';
import { aggregateBallots, checkPartial, combinePartials, partialDecrypt } from '../../secret-ballot/tally';
import { makeBoard, makeCommittee } from '../../secret-ballot/test-helpers';
import { type TallyBoard, verifyTally } from '../../secret-ballot/verify-tally';
import { sodiumGroup } from './group-sodium';

let sodium: Group<Uint8Array>;
beforeAll(async () => {
	sodium = await sodiumGroup();
});

const point = () => pointToHex(mulSecret(G, randomScalar()));
/** The same hex decoded by libsodium (throws if it refuses). */
const inSodium = (hex: string) => {
	const p = decodePoint(sodium, hex, true);
	if (!p) throw new Error(`libsodium refused ${hex}`);
	return p;
};
const inNoble = (hex: string) => decodePoint(nobleGroup, hex, true)!;

describe('libsodium and noble give byte-identical results', () => {
	it('the base point, the identity, decoding', () => {
		expect(sodium.encode(sodium.G)).toBe(pointToHex(G));
		expect(sodium.encode(sodium.IDENTITY)).toBe(pointToHex(IDENTITY));
		expect(sodium.isIdentity(inSodium('00'.repeat(32)))).toBe(true);
		expect(decodePoint(sodium, '00'.repeat(32))).toBeNull();
	});

	it('add, sub and public multiplication of random points', () => {
		for (let i = 0; i < 8; i++) {
			const [a, b] = [point(), point()];
			const s = i === 0 ? 0n : i === 1 ? 1n : i === 2 ? ORDER - 1n : randomScalar();
			expect(sodium.encode(sodium.add(inSodium(a), inSodium(b)))).toBe(inNoble(a).add(inNoble(b)).toHex());
			expect(sodium.encode(sodium.sub(inSodium(a), inSodium(b)))).toBe(inNoble(a).subtract(inNoble(b)).toHex());
			expect(sodium.encode(sodium.sub(inSodium(a), inSodium(a)))).toBe('00'.repeat(32));
			expect(sodium.encode(sodium.mulPublic(inSodium(a), s))).toBe(nobleGroup.mulPublic(inNoble(a), s).toHex());
			expect(sodium.encode(sodium.mulPublic(sodium.G, s))).toBe(nobleGroup.mulPublic(G, s).toHex());
		}
	});

	it('multi-scalar multiplication, with zero, ±1, the identity and G among the terms', () => {
		const hexes = [point(), point(), point(), '00'.repeat(32), point(), pointToHex(G)];
		const scalars = [randomWeight(), 0n, ORDER - 1n, randomScalar(), 1n, randomScalar()];
		const expected = multiScalar(hexes.map(inNoble), scalars).toHex();
		const points = hexes.map(inSodium);
		points[5] = sodium.G;
		expect(sodium.encode(sodium.multiScalar(points, scalars))).toBe(expected);
		expect(sodium.isIdentity(sodium.multiScalar([], []))).toBe(true);
	});

	it.each([
		'00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
		'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
		'0100000000000000000000000000000000000000000000000000000000000000',
		'26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
		'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
	])('both refuse the invalid encoding %s (RFC 9496 A.2)', (hex) => {
		expect(decodePoint(sodium, hex, true)).toBeNull();
		expect(decodePoint(nobleGroup, hex, true)).toBeNull();
	});
});

describe('noble encrypts, libsodium verifies', () => {
	const ctx: BallotContext = {
		publicKey: pointToHex(mulSecret(G, randomScalar())),
		voteId: 'vote-1',
		voterId: 'delegate-7',
		options: 3
	};
	const forged = (values: number[]): Ballot =>
		encryptVector(ctx, normaliseSpec(ctx)!, publicKeyPoint(ctx.publicKey)!, values, true).ballot;

	it.each([0, 1, 2])('an honest ballot for choice %i, with the same tracker', (choice) => {
		const { ballot, tracker } = encryptBallot({ ...ctx, choice });
		expect(verifyBallotIn(sodium, ballot, ctx)).toEqual({
			ok: true,
			tracker
		});
	});

	it('an election of 0 to 2 among 5', () => {
		const election = { ...ctx, options: 5, min: 0, max: 2 };
		for (const choices of [[], [3], [0, 4]]) {
			expect(verifyBallotIn(sodium, encryptBallot({ ...election, choices }).ballot, election).ok).toBe(true);
		}
	});

	it('a forged ballot is refused by both, for the same reason', () => {
		for (const values of [
			[2, -1, 0],
			[1, 1, 0],
			[0, 0, 0]
		]) {
			const ballot = forged(values);
			const byNoble = verifyBallot(ballot, ctx);
			expect(byNoble.ok).toBe(false);
			expect(verifyBallotIn(sodium, ballot, ctx)).toEqual(byNoble);
		}
		expect(verifyBallotIn(sodium, forged([1, 1, 0]), ctx)).toEqual({
			ok: false,
			reason: 'sum-proof'
		});
	});

	it('tampered fields are refused by both, for the same reason', () => {
		const honest = encryptBallot({ ...ctx, choice: 1 }).ballot;
		const other = encryptBallot({ ...ctx, choice: 0 }).ballot;
		const tamper: ((b: Ballot) => void)[] = [
			(b) => (b.options[1].proof[0].a = other.options[1].proof[0].a),
			(b) => (b.options[2].proof[1].b = '00'.repeat(32)),
			(b) => (b.options[0].proof[0].z = other.options[0].proof[0].z),
			(b) => (b.options[0].c1 = 'ff'.repeat(32)),
			(b) => (b.sum[0].b = other.sum[0].b)
		];
		for (const t of tamper) {
			const b: Ballot = JSON.parse(JSON.stringify(honest));
			t(b);
			const byNoble = verifyBallot(b, ctx);
			expect(byNoble.ok).toBe(false);
			expect(verifyBallotIn(sodium, b, ctx)).toEqual(byNoble);
		}
	});
});

describe('verifyTally over libsodium', () => {
	const board = makeBoard('vote-9', { options: 3 }, [0, 1, 0, 2, 0]);
	const copy = (): TallyBoard => JSON.parse(JSON.stringify(board));

	it('agrees with noble on an honest board', () => {
		const bySodium = verifyTally(board, undefined, { group: sodium });
		expect(bySodium.ok && bySodium.counts).toEqual([3, 1, 1]);
		expect(bySodium).toEqual(verifyTally(board));
	});

	it('names the same bad ballot as noble', () => {
		const b = copy();
		b.ballots[3].ballot.options[1].proof[0].z = b.ballots[2].ballot.options[1].proof[0].z;
		const expected = {
			ok: false,
			reason: 'bad-ballot',
			ballot: 3,
			ballotReason: 'option-proof'
		};
		expect(verifyTally(b, undefined, { group: sodium })).toEqual(expected);
		expect(verifyTally(b)).toEqual(expected);
		expect(verifyTally(b, undefined, { wholeBoard: false })).toEqual(expected);
	});
});

describe('the committee’s checks over libsodium', () => {
	const committee = makeCommittee('vote-5');
	const ctx = { voteId: 'vote-5', publicKey: committee.publicKey };
	const choices = [0, 2, 2, 1, 2, 0, 2];
	const sums = aggregateBallots(
		choices.map((choice, i) => encryptBallot({ options: 3, ...ctx, voterId: `delegate-${i}`, choice }).ballot),
		3
	);
	const partials = committee.secrets.map((s) => partialDecrypt(s, sums));
	const key = (index: number) => verificationKey(committee.params, committee.dealings, index, sodium);

	it('dealings, the joint key and the verification keys are the same bytes as noble’s', () => {
		for (const d of committee.dealings) expect(checkDealing(committee.params, d, sodium)).not.toBeNull();
		const rogue = { ...committee.dealings[1], commitments: [point(), point()] };
		expect(checkDealing(committee.params, rogue, sodium)).toBeNull();
		expect(checkDealing(committee.params, rogue)).toBeNull();
		expect(jointPublicKey(committee.params, committee.dealings, sodium)).toBe(committee.publicKey);
		committee.secrets.forEach((s) => expect(key(s.index)).toBe(s.verificationKey));
	});

	it('a partial decryption holds against its own key only; any two count as noble does', () => {
		const checked = partials.map((p) => ({ index: p.index, shares: checkPartial(p, sums, key(p.index), ctx, sodium)! }));
		expect(checked.every((c) => c.shares !== null)).toBe(true);
		expect(checkPartial(partials[0], sums, key(2), ctx, sodium)).toBeNull();
		expect(checkPartial(partials[0], sums, key(1), { ...ctx, voteId: 'vote-6' }, sodium)).toBeNull();
		const swapped = { ...partials[0], shares: [partials[0].shares[1], partials[0].shares[0], partials[0].shares[2]] };
		expect(checkPartial(swapped, sums, key(1), ctx, sodium)).toBeNull();
		expect(combinePartials(sums, checked.slice(1), 2, choices.length, sodium)).toEqual([2, 1, 4]);
		expect(combinePartials(sums, [checked[0], checked[2]], 2, choices.length, sodium)).toEqual([2, 1, 4]);
		expect(() => combinePartials(sums, checked.slice(0, 1), 2, choices.length, sodium)).toThrow(/threshold/);
	});

	it('a vote without ballots counts zero everywhere (the sums and the partials are the identity)', () => {
		const empty = aggregateBallots([], 3);
		const checked = committee.secrets.slice(0, 2).map((s) => {
			const p = partialDecrypt(s, empty);
			return { index: p.index, shares: checkPartial(p, empty, key(p.index), ctx, sodium)! };
		});
		expect(checked.every((c) => c.shares !== null)).toBe(true);
		expect(combinePartials(empty, checked, 2, 0, sodium)).toEqual([0, 0, 0]);
	});

	it('the bounded discrete log finds m·G up to the bound and nothing beyond', () => {
		for (const m of [0, 1, 7, 30, 95]) expect(boundedLog(sodium.mulPublic(sodium.G, BigInt(m)), 95, sodium)).toBe(m);
		expect(boundedLog(sodium.mulPublic(sodium.G, 96n), 95, sodium)).toBeNull();
		expect(boundedLog(sodium.sub(sodium.IDENTITY, sodium.G), 95, sodium)).toBeNull();
	});
});
