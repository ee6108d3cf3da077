/**
 * Preparing an encrypted secret vote and its key ceremony (issue 17), before the vote opens.
 *
 *  1. The chair prepares the vote (question, ballot, rule) and names the counting committee (Ban kiểm phiếu):
 *     n distinct active delegates of the sitting's council, any t of whom can count (default 2 of 3). Member i is
 *     the i-th named; i is the index every proof of theirs binds.
 *  2. Each member's browser posts a transport public key. The server binds it to the member's signed-in user (a
 *     key is stored only for the member whose session posts it, once), and shows each key's fingerprint so that
 *     members can compare them aloud in the room (seal.ts: a swapped key would let its swapper read the shares).
 *  3. Once every key is in, each member posts its dealing (commitments + proof of knowledge, which binds its own
 *     index: a dealing for another index is refused) and its shares sealed to every member's transport key. The
 *     dealing is checked on arrival (`checkDealing`, in a worker thread). When every member has dealt, the joint
 *     key is computed (`jointPublicKey`) and stored: the setup is ready to open.
 *  4. Each member fetches the sealed shares addressed to it, opens and checks them in the browser (`verifyShare`)
 *     and saves its member file. A member whose share from dealer j does not verify complains: the setup is then
 *     cancelled, with the complaint recorded, and the chair prepares the vote again with another committee. That
 *     is the simple rule: restarting without the dealer would change the committee the chair named, and a vote is
 *     never opened on a key a member has disputed. (A false complaint can only delay the vote, never open it.)
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import { type CommitteeParams, type Dealing, committeeParams } from '../../secret-ballot/committee';
import { hexToPoint, hexToScalar } from '../../secret-ballot/codec';
import { MAX_GROUP, normaliseSpec } from '../../secret-ballot/spec';
import type { SealedShare } from '../../secret-ballot/seal';
import type { EncryptedSum } from '../../secret-ballot/tally';
import { AppError } from '../errors';
import { noticeCommittee } from '../notifications/sitting-notices';
import { lockedSitting } from '../sittings/service';
import { resolveRule, assertOptions, ballotTypeOf, type RuleInput } from '../votes/spec';
import { appendEvent, type Trx } from '../sittings/events';
import { runSecretJob } from './pool';
import { cryptoSpec, type EncryptedOptions } from './vote-spec';

export interface PrepareInput {
	sittingId: string;
	itemId: string;
	question: string;
	rule: RuleInput;
	options?: unknown;
	durationSec?: number;
	/** User ids of the committee, in member order (member 1 first). */
	committee: string[];
	threshold?: number;
	createdBy: string;
}

type Reader = Db | Trx;

export async function prepareSecretVote(db: Db, input: PrepareInput): Promise<{ setupId: string }> {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		if (sitting.status === 'closed') throw new AppError('BAD_REQUEST', 'sitting.notInProgress');
		const item = await trx.selectFrom('agenda_items').select('id').where('id', '=', input.itemId).where('sitting_id', '=', input.sittingId).executeTakeFirst();
		if (!item) throw new AppError('BAD_REQUEST', 'sitting.itemNotInSitting');
		const council = await trx
			.selectFrom('councils')
			.select(['custom_rule_num', 'custom_rule_den'])
			.where('id', '=', sitting.council_id)
			.executeTakeFirstOrThrow();
		const rule = resolveRule(input.rule, council);
		const ballotType = ballotTypeOf(input.options);
		const options = assertOptions(ballotType, input.options) as EncryptedOptions;
		// A rating's ballot is three options per person (vote-spec.ts): a list longer than one ballot can hold is refused.
		if (!normaliseSpec(cryptoSpec(ballotType, options))) throw new AppError('BAD_REQUEST', 'secretBallot.tooManyOptions', { max: MAX_GROUP });
		const members = input.committee.length;
		const threshold = input.threshold ?? 2;
		const distinct = new Set(input.committee).size === members;
		const delegates = await trx
			.selectFrom('council_members')
			.select('user_id')
			.where('council_id', '=', sitting.council_id)
			.where('role', '=', 'delegate')
			.where('active', '=', true)
			.where('user_id', 'in', input.committee)
			.execute();
		// t ≥ 2: a committee where one member alone could decrypt sums is not a committee.
		if (!distinct || delegates.length !== members || members < 2 || members > 15 || threshold < 2 || threshold > members) {
			throw new AppError('BAD_REQUEST', 'secretBallot.committeeInvalid');
		}
		const setup = await trx
			.insertInto('secret_vote_setups')
			.values({
				sitting_id: input.sittingId,
				item_id: input.itemId,
				council_id: sitting.council_id,
				question: input.question,
				ballot_type: ballotType,
				options: options ? JSON.stringify(options) : null,
				rule: JSON.stringify(rule),
				duration_sec: input.durationSec ?? null,
				threshold,
				members,
				cancel_reason: null,
				vote_id: null,
				public_key: null,
				created_by: input.createdBy
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('secret_committee_members')
			.values(
				input.committee.map((userId, i) => ({
					setup_id: setup.id,
					idx: i + 1,
					user_id: userId,
					transport_key: null,
					dealing: null
				}))
			)
			.execute();
		await trx
			.insertInto('audit_log')
			.values({
				user_id: input.createdBy,
				council_id: sitting.council_id,
				action: 'secretBallot.prepare',
				details: JSON.stringify({ setupId: setup.id })
			})
			.execute();
		await noticeCommittee(trx, sitting, setup.id, input.question, input.committee);
		// On the sitting's stream, so each member's sitting page shows the way to the committee's screen at once (who
		// sits on the Ban kiểm phiếu is public).
		await appendEvent(trx, input.sittingId, 'secretBallot.prepared', { setupId: setup.id, itemId: input.itemId, question: input.question, committee: input.committee }, { head: sitting });
		return { setupId: setup.id };
	});
}

export async function loadSetup(db: Reader, setupId: string, lock = false) {
	let q = db.selectFrom('secret_vote_setups').selectAll().where('id', '=', setupId);
	if (lock) q = q.forUpdate();
	const setup = await q.executeTakeFirst();
	if (!setup) throw new AppError('NOT_FOUND', 'secretBallot.notFound');
	return setup;
}

export type Setup = Awaited<ReturnType<typeof loadSetup>>;

export function paramsOf(setup: Pick<Setup, 'id' | 'threshold' | 'members'>): CommitteeParams {
	return committeeParams(setup.id, setup.threshold, setup.members);
}

export async function committeeOf(db: Reader, setupId: string) {
	return db.selectFrom('secret_committee_members').selectAll().where('setup_id', '=', setupId).orderBy('idx').execute();
}

/** The caller's place on the committee; anyone else is refused. */
export async function memberOf(db: Reader, setupId: string, userId: string) {
	const member = await db.selectFrom('secret_committee_members').selectAll().where('setup_id', '=', setupId).where('user_id', '=', userId).executeTakeFirst();
	if (!member) throw new AppError('FORBIDDEN', 'secretBallot.notOnCommittee');
	return member;
}

/** The dealings of the committee, in member order (every member has dealt once the setup is ready). */
export function dealingsOf(members: { dealing: unknown }[]): Dealing[] {
	return members.filter((m) => m.dealing !== null).map((m) => m.dealing as Dealing);
}

function assertKeying(setup: Setup): void {
	if (setup.phase !== 'keying') throw new AppError('CONFLICT', 'secretBallot.notKeying');
}

/** What members compare aloud: the first 16 hex digits of SHA-256 of the key, in groups of four. */
export function fingerprint(key: string): string {
	return (createHash('sha256').update(key).digest('hex').slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

export async function postTransportKey(db: Db, input: { setupId: string; userId: string; key: string }) {
	if (!hexToPoint(input.key)) throw new AppError('BAD_REQUEST', 'secretBallot.badTransportKey');
	return db.transaction().execute(async (trx) => {
		const setup = await loadSetup(trx, input.setupId, true);
		const member = await memberOf(trx, setup.id, input.userId);
		assertKeying(setup);
		if (member.transport_key !== null) {
			if (member.transport_key === input.key) return { index: member.idx, fingerprint: fingerprint(input.key) };
			throw new AppError('CONFLICT', 'secretBallot.transportKeySet');
		}
		await trx
			.updateTable('secret_committee_members')
			.set({ transport_key: input.key })
			.where('setup_id', '=', setup.id)
			.where('idx', '=', member.idx)
			.execute();
		return { index: member.idx, fingerprint: fingerprint(input.key) };
	});
}

function sealedSharesValid(sealed: unknown, from: number, members: number): sealed is SealedShare[] {
	if (!Array.isArray(sealed) || sealed.length !== members) return false;
	const to = new Set<number>();
	for (const s of sealed as SealedShare[]) {
		if (typeof s !== 'object' || s === null || s.from !== from || !Number.isSafeInteger(s.to) || s.to < 1 || s.to > members || to.has(s.to)) return false;
		if (!hexToPoint(s.k) || hexToScalar(s.c) === null) return false;
		to.add(s.to);
	}
	return true;
}

/**
 * A member's dealing and its shares sealed to every member (itself included). Checked before anything is stored;
 * when it is the last one, the joint key is computed and the setup is ready.
 */
export async function postDealing(db: Db, input: { setupId: string; userId: string; dealing: unknown; sealed: unknown }) {
	const setup = await loadSetup(db, input.setupId);
	const member = await memberOf(db, setup.id, input.userId);
	assertKeying(setup);
	const d = input.dealing as Dealing;
	// The index in the dealing is bound by its proof: it must be the caller's own.
	if (typeof d !== 'object' || d === null || d.index !== member.idx) throw new AppError('BAD_REQUEST', 'secretBallot.badDealing');
	if (!sealedSharesValid(input.sealed, member.idx, setup.members)) throw new AppError('BAD_REQUEST', 'secretBallot.badSealedShares');
	const params = paramsOf(setup);
	if (!(await runSecretJob('checkDealing', { params, dealing: d }))) throw new AppError('BAD_REQUEST', 'secretBallot.badDealing');
	const dealing: Dealing = {
		index: d.index,
		commitments: d.commitments,
		proof: d.proof
	};
	const sealed = input.sealed;
	return db.transaction().execute(async (trx) => {
		const locked = await loadSetup(trx, setup.id, true);
		assertKeying(locked);
		const members = await committeeOf(trx, setup.id);
		if (members.some((m) => m.transport_key === null)) throw new AppError('PRECONDITION_FAILED', 'secretBallot.keysMissing');
		const me = members.find((m) => m.idx === member.idx)!;
		if (me.dealing !== null) throw new AppError('CONFLICT', 'secretBallot.alreadyDealt');
		await trx
			.updateTable('secret_committee_members')
			.set({ dealing: JSON.stringify(dealing) })
			.where('setup_id', '=', setup.id)
			.where('idx', '=', me.idx)
			.execute();
		await trx
			.insertInto('secret_sealed_shares')
			.values(
				sealed.map((s) => ({
					setup_id: setup.id,
					from_idx: me.idx,
					to_idx: s.to,
					sealed: JSON.stringify({ from: s.from, to: s.to, k: s.k, c: s.c })
				}))
			)
			.execute();
		me.dealing = dealing;
		if (members.some((m) => m.dealing === null)) return { index: me.idx, ready: false, publicKey: null };
		const publicKey = await runSecretJob('jointKey', {
			params,
			dealings: dealingsOf(members)
		});
		await trx.updateTable('secret_vote_setups').set({ phase: 'ready', public_key: publicKey }).where('id', '=', setup.id).execute();
		return { index: me.idx, ready: true, publicKey };
	});
}

/** The dealings and the shares sealed to the calling member (only it can open them). */
export async function sharesFor(db: Db, input: { setupId: string; userId: string }) {
	const setup = await loadSetup(db, input.setupId);
	const member = await memberOf(db, setup.id, input.userId);
	const members = await committeeOf(db, setup.id);
	const sealed = await db
		.selectFrom('secret_sealed_shares')
		.select('sealed')
		.where('setup_id', '=', setup.id)
		.where('to_idx', '=', member.idx)
		.orderBy('from_idx')
		.execute();
	return {
		index: member.idx,
		phase: setup.phase,
		dealings: dealingsOf(members),
		sealed: sealed.map((s) => s.sealed as SealedShare)
	};
}

/** A member's share from `dealer` did not verify: the setup is cancelled, the complaint kept. */
export async function complain(db: Db, input: { setupId: string; userId: string; dealer: number }) {
	return db.transaction().execute(async (trx) => {
		// The sitting's lock first (the cancellation is an event of the sitting), then the setup's row, as opening takes them.
		const sitting = await lockedSitting(trx, (await loadSetup(trx, input.setupId)).sitting_id);
		const setup = await loadSetup(trx, input.setupId, true);
		const member = await memberOf(trx, setup.id, input.userId);
		if (setup.phase !== 'keying' && setup.phase !== 'ready') throw new AppError('CONFLICT', 'secretBallot.notKeying');
		if (!Number.isSafeInteger(input.dealer) || input.dealer < 1 || input.dealer > setup.members || input.dealer === member.idx) {
			throw new AppError('BAD_REQUEST', 'secretBallot.badComplaint');
		}
		const reason = { complainant: member.idx, dealer: input.dealer };
		await trx
			.updateTable('secret_vote_setups')
			.set({ phase: 'cancelled', cancel_reason: JSON.stringify(reason) })
			.where('id', '=', setup.id)
			.execute();
		await trx
			.insertInto('audit_log')
			.values({
				user_id: input.userId,
				council_id: setup.council_id,
				action: 'secretBallot.complaint',
				details: JSON.stringify({ setupId: setup.id, ...reason })
			})
			.execute();
		await appendEvent(trx, setup.sitting_id, 'secretBallot.cancelled', { setupId: setup.id, ...reason }, { head: sitting });
		return { cancelled: true as const, ...reason };
	});
}

/** The setup as every reader of the council may see it: the committee, its keys' fingerprints, the joint key. */
export async function setupView(db: Db, setupId: string) {
	const setup = await loadSetup(db, setupId);
	const members = await db
		.selectFrom('secret_committee_members as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select(['m.idx', 'm.user_id', 'u.full_name', 'm.transport_key', 'm.dealing'])
		.where('m.setup_id', '=', setupId)
		.orderBy('m.idx')
		.execute();
	return {
		setupId: setup.id,
		sittingId: setup.sitting_id,
		itemId: setup.item_id,
		question: setup.question,
		ballotType: setup.ballot_type,
		options: setup.options,
		rule: setup.rule,
		threshold: setup.threshold,
		members: members.map((m) => ({
			index: m.idx,
			userId: m.user_id,
			fullName: m.full_name,
			transportKey: m.transport_key,
			fingerprint: m.transport_key ? fingerprint(m.transport_key) : null,
			dealt: m.dealing !== null
		})),
		phase: setup.phase,
		publicKey: setup.public_key,
		cancelReason: setup.cancel_reason,
		voteId: setup.vote_id,
		counting: setup.vote_id ? await countingOf(db, setup.vote_id) : null
	};
}

/**
 * Once casting is closed: the sums the members decrypt (public: the board publishes them) and which members'
 * partials are in — what a member's page needs after a reload, and the chair's "n / t" (no event per partial).
 */
async function countingOf(db: Db, voteId: string) {
	const tally = await db.selectFrom('encrypted_tallies').select(['sums', 'counts']).where('vote_id', '=', voteId).executeTakeFirst();
	if (!tally) return null;
	const posted = await db.selectFrom('secret_partials').select('idx').where('vote_id', '=', voteId).orderBy('idx').execute();
	return { sums: tally.sums as EncryptedSum[], partials: posted.map((p) => p.idx), counted: tally.counts !== null };
}

/**
 * The setups of a sitting, newest first, with their committees' user ids: the chair's console finds the one it is
 * preparing after a reload, and a delegate's page shows the way to the committee screen when they are on one.
 */
export async function setupsOfSitting(db: Db, sittingId: string) {
	const setups = await db
		.selectFrom('secret_vote_setups as s')
		.leftJoin('encrypted_tallies as t', 't.vote_id', 's.vote_id')
		.select(['s.id', 's.phase', 's.question', 's.vote_id', 't.vote_id as tally', 't.counts'])
		.where('s.sitting_id', '=', sittingId)
		.orderBy('s.created_at', 'desc')
		.execute();
	const members = setups.length
		? await db
				.selectFrom('secret_committee_members')
				.select(['setup_id', 'user_id'])
				.where('setup_id', 'in', setups.map((s) => s.id))
				.orderBy('idx')
				.execute()
		: [];
	return setups.map((s) => ({
		setupId: s.id,
		phase: s.phase,
		question: s.question,
		voteId: s.vote_id,
		/** Casting closed, the count not made yet: the committee's turn. */
		counting: s.tally !== null && s.counts === null,
		committee: members.filter((m) => m.setup_id === s.id).map((m) => m.user_id)
	}));
}
