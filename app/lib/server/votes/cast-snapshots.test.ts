import { describe, expect, it } from 'vitest';
import { planBatch } from './batch-plan';
import { decide } from './cast-rules';
import { SnapshotCache, applyWritten } from './cast-snapshots';
import type { SittingSnapshot } from './cast-types';
import { voteForCast } from './voting-facts';
import { openVoteRow } from './vote-row.fixture';

const CREATED = '2026-12-06T08:00:00.000Z';
const H7 = '7'.repeat(64);

/** A sitting at head 7 with one open yes/no/abstain vote; d1–d4 delegates, d1–d3 checked in, d1 has voted. */
function snapshot(overrides: Partial<SittingSnapshot> = {}): SittingSnapshot {
	return {
		sittingId: 'sitting-1',
		lastSeq: 7,
		headHash: H7,
		votes: new Map([['vote-a', openVoteRow({ ballots_cast: 1 })]]),
		delegates: new Set(['d1', 'd2', 'd3', 'd4']),
		checkedIn: new Set(['d1', 'd2', 'd3', 'guest']),
		voters: new Map([['vote-a', new Map([['d1', 'key-1']])]]),
		present: 3,
		...overrides
	};
}

describe('cast snapshots: the rules decided on a kept sitting snapshot', () => {
	it("gives the rules each delegate's standing, the count and the head", () => {
		const s = snapshot();
		expect(voteForCast(s, 'vote-a', 'd2')).toMatchObject({ is_delegate: true, checked_in: true, open_voted: false, present: 3, last_seq: 7, head_hash: H7, ballots_cast: 1 });
		expect(voteForCast(s, 'vote-a', 'd4')).toMatchObject({ is_delegate: true, checked_in: false });
		expect(voteForCast(s, 'vote-a', 'guest')).toMatchObject({ is_delegate: false, checked_in: true });
		expect(voteForCast(s, 'vote-a', 'd1')).toMatchObject({ open_voted: true, open_key: 'key-1' });
		expect(voteForCast(s, 'vote-b', 'd2')).toBeUndefined();
	});

	it('refuses what the same facts read from the database refuse, and answers a retry with its first answer', () => {
		const s = snapshot();
		expect(() => decide(voteForCast(s, 'vote-a', 'd4')!, { voteId: 'vote-a', userId: 'd4', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'NOT_CHECKED_IN' }));
		expect(() => decide(voteForCast(s, 'vote-a', 'guest')!, { voteId: 'vote-a', userId: 'guest', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'NOT_A_DELEGATE' }));
		expect(() => decide(voteForCast(s, 'vote-a', 'd1')!, { voteId: 'vote-a', userId: 'd1', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'ALREADY_VOTED' }));
		expect(decide(voteForCast(s, 'vote-a', 'd1')!, { voteId: 'vote-a', userId: 'd1', choice: 'no', idempotencyKey: 'key-1' })).toEqual({ kind: 'answered', result: { accepted: true } });
	});

	it('follows its own written plan: new head, count and voters, so the next casts are decided on current facts', () => {
		const s = snapshot();
		const items = ['d2', 'd3'].map((userId) => ({ input: { voteId: 'vote-a', userId, choice: 'yes', idempotencyKey: `key-${userId}` }, vote: voteForCast(s, 'vote-a', userId) }));
		const plan = planBatch(items, CREATED);
		expect(applyWritten(s, plan)).toBe(true);
		expect(s.lastSeq).toBe(9);
		expect(s.headHash).toBe(plan.heads[0].hash);
		expect(s.votes.get('vote-a')!.ballots_cast).toBe(3);
		expect(voteForCast(s, 'vote-a', 'd2')).toMatchObject({ open_voted: true, open_key: 'key-d2', last_seq: 9, ballots_cast: 3 });
	});

	it('does not follow a plan made on another head (the same head means the same facts; any other may not)', () => {
		const planned = snapshot();
		const plan = planBatch([{ input: { voteId: 'vote-a', userId: 'd2', choice: 'yes' }, vote: voteForCast(planned, 'vote-a', 'd2') }], CREATED);
		const older = snapshot({ lastSeq: 6, headHash: 'a'.repeat(64) });
		expect(applyWritten(older, plan)).toBe(false);
		expect(older.lastSeq).toBe(6);
		expect(older.voters.get('vote-a')!.has('d2')).toBe(false);
	});

	it("keeps a changed ballot's first key, as the write does", () => {
		const s = snapshot();
		s.votes.get('vote-a')!.allow_change = true;
		const plan = planBatch([{ input: { voteId: 'vote-a', userId: 'd1', choice: 'no', idempotencyKey: 'key-2' }, vote: voteForCast(s, 'vote-a', 'd1') }], CREATED);
		expect(applyWritten(s, plan)).toBe(true);
		expect(s.voters.get('vote-a')!.get('d1')).toBe('key-1');
		expect(s.votes.get('vote-a')!.ballots_cast).toBe(1);
	});
});

describe('SnapshotCache: a notice newer than the snapshot drops it', () => {
	it('drops a snapshot on a newer event, keeps it on its own or older ones, also during its own write', () => {
		const cache = new SnapshotCache();
		cache.put(snapshot());
		cache.seen('sitting-1', 7);
		expect(cache.get('sitting-1')).toBeDefined();
		// Our own write to 9 is in flight: its notices (8, 9) may come before its answer.
		cache.writingUpTo('sitting-1', 9);
		cache.seen('sitting-1', 8);
		cache.seen('sitting-1', 9);
		expect(cache.get('sitting-1')).toBeDefined();
		cache.written('sitting-1');
		cache.get('sitting-1')!.lastSeq = 9;
		cache.seen('sitting-1', 10);
		expect(cache.get('sitting-1')).toBeUndefined();
	});

	it('ignores notices of sittings it keeps nothing of, and forgets on demand', () => {
		const cache = new SnapshotCache();
		cache.seen('other', 100);
		cache.put(snapshot());
		cache.forget('sitting-1');
		expect(cache.get('sitting-1')).toBeUndefined();
	});
});

describe('SnapshotCache: reading a sitting ahead of its casts', () => {
	it('starts one read ahead per sitting, none while a snapshot is kept, and keeps what it read', () => {
		const cache = new SnapshotCache();
		expect(cache.startReadAhead('sitting-1')).toBe(true);
		expect(cache.startReadAhead('sitting-1')).toBe(false);
		expect(cache.endReadAhead('sitting-1', snapshot())).toBe(true);
		expect(cache.get('sitting-1')?.lastSeq).toBe(7);
		expect(cache.startReadAhead('sitting-1')).toBe(false);
	});

	it('drops a read that an event newer than it overtook (noticed while reading), keeps one no newer', () => {
		const cache = new SnapshotCache();
		cache.startReadAhead('sitting-1');
		cache.seen('sitting-1', 8);
		expect(cache.endReadAhead('sitting-1', snapshot())).toBe(false);
		expect(cache.get('sitting-1')).toBeUndefined();
		cache.startReadAhead('sitting-1');
		cache.seen('sitting-1', 7);
		expect(cache.endReadAhead('sitting-1', snapshot())).toBe(true);
	});

	it("does not replace a snapshot a group read meanwhile, and after a failed read lets the next one start", () => {
		const cache = new SnapshotCache();
		cache.startReadAhead('sitting-1');
		cache.put(snapshot({ lastSeq: 9 }));
		expect(cache.endReadAhead('sitting-1', snapshot())).toBe(false);
		expect(cache.get('sitting-1')?.lastSeq).toBe(9);
		cache.forget('sitting-1');
		cache.startReadAhead('sitting-1');
		expect(cache.endReadAhead('sitting-1')).toBe(false);
		expect(cache.startReadAhead('sitting-1')).toBe(true);
	});
});

describe('SnapshotCache turned off (the A/B variant of bench:votes)', () => {
	it('keeps nothing and reads nothing ahead: every group reads its sittings afresh', () => {
		const cache = new SnapshotCache(false);
		cache.put(snapshot());
		expect(cache.get('sitting-1')).toBeUndefined();
		expect(cache.startReadAhead('sitting-1')).toBe(false);
	});
});

describe('the same read for the cast under the lock: secret votes and closed ones', () => {
	const secret = () =>
		snapshot({
			votes: new Map([['vote-s', openVoteRow({ id: 'vote-s', kind: 'secret', status: 'closed', ballots_cast: 1 })]]),
			voters: new Map([['vote-s', new Map([['d1', 'hash-1']])]])
		});

	it("gives a secret vote's participation (with its hash) as the secret fields, never as an open ballot", () => {
		expect(voteForCast(secret(), 'vote-s', 'd1')).toMatchObject({ secret_voted: true, secret_hash: 'hash-1', open_voted: false, open_key: undefined });
		expect(voteForCast(secret(), 'vote-s', 'd2')).toMatchObject({ secret_voted: false, secret_hash: undefined, open_voted: false });
	});

	it('refuses a cast of a closed vote that is not a retry', () => {
		expect(() => decide(voteForCast(secret(), 'vote-s', 'd2')!, { voteId: 'vote-s', userId: 'd2', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'VOTE_CLOSED' }));
	});
});
