import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS, linkEvent, verifyChain, type StoredChainEvent } from './hash-chain';

function buildChain(n: number): StoredChainEvent[] {
	const out: StoredChainEvent[] = [];
	for (let i = 0; i < n; i++) {
		const head = out.at(-1) ?? null;
		out.push(
			linkEvent(head, {
				type: i % 2 ? 'vote.closed' : 'vote.opened',
				payload: { voteId: `v${i}`, yes: i, tên: 'Biểu quyết' },
				createdAt: new Date(Date.UTC(2026, 10, 12, 2, 0, i)).toISOString()
			})
		);
	}
	return out;
}

describe('chainHash', () => {
	it('is SHA-256 over prevHash, a newline and the canonical JSON of the four event fields', () => {
		const e = { seq: 1, type: 't', payload: { b: 1, a: 2 }, createdAt: '2026-11-12T02:00:00.000Z' };
		const expected = createHash('sha256')
			.update(
				`${GENESIS}\n{"createdAt":"2026-11-12T02:00:00.000Z","payload":{"a":2,"b":1},"seq":1,"type":"t"}`
			)
			.digest('hex');
		expect(chainHash(GENESIS, e)).toBe(expected);
		expect(GENESIS).toMatch(/^0{64}$/);
	});

	it('ignores key order in the payload and extra fields on the row', () => {
		const a = { seq: 1, type: 't', payload: { x: 1, y: 2 }, createdAt: '2026-11-12T02:00:00Z' };
		const b = { ...a, payload: { y: 2, x: 1 }, id: 'row-9', hash: 'whatever' };
		expect(chainHash(GENESIS, b)).toBe(chainHash(GENESIS, a));
	});

	it('refuses a malformed prevHash, seq or createdAt', () => {
		const e = { seq: 1, type: 't', payload: null, createdAt: '2026-11-12T02:00:00Z' };
		expect(() => chainHash('abc', e)).toThrow();
		expect(() => chainHash(GENESIS.toUpperCase().replace(/0/g, 'A'), e)).toThrow();
		expect(() => chainHash(GENESIS, { ...e, seq: 0 })).toThrow();
		expect(() => chainHash(GENESIS, { ...e, createdAt: '12/11/2026' })).toThrow();
		expect(() => chainHash(GENESIS, { ...e, createdAt: '2026-13-45T99:00:00Z' })).toThrow();
		expect(() => chainHash(GENESIS, { ...e, payload: { at: new Date() } })).toThrow();
	});
});

describe('verifyChain', () => {
	it('accepts an intact chain and returns its head; an empty chain has the genesis head', () => {
		const c = buildChain(6);
		expect(verifyChain(c)).toEqual({ ok: true, head: c[5].hash });
		expect(verifyChain([])).toEqual({ ok: true, head: GENESIS });
		expect(c[0].prevHash).toBe(GENESIS);
		expect(c.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it('detects an altered payload at that event', () => {
		const c = buildChain(6);
		c[3] = { ...c[3], payload: { ...(c[3].payload as object), yes: 999 } };
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 4, reason: 'hash_mismatch' });
	});

	it('detects an altered type or time', () => {
		const c = buildChain(4);
		expect(verifyChain(c.map((e, i) => (i === 1 ? { ...e, type: 'vote.void' } : e)))).toMatchObject(
			{ firstBadSeq: 2, reason: 'hash_mismatch' }
		);
		expect(
			verifyChain(c.map((e, i) => (i === 2 ? { ...e, createdAt: '2026-11-12T02:00:02.001Z' } : e)))
		).toMatchObject({ firstBadSeq: 3 });
	});

	it('detects an altered stored hash at that event', () => {
		const c = buildChain(6);
		c[2] = { ...c[2], hash: c[2].hash.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a')) };
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 3, reason: 'hash_mismatch' });
	});

	it('detects a payload altered and re-hashed at the next event', () => {
		const c = buildChain(6);
		const forged = { ...c[2], payload: { forged: true } };
		c[2] = { ...forged, hash: chainHash(forged.prevHash, forged) };
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 4, reason: 'prev_mismatch' });
	});

	it('detects a deleted event as a gap at the missing seq', () => {
		const c = buildChain(6);
		c.splice(3, 1);
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 4, reason: 'gap' });
	});

	it('detects a deleted event whose successors were renumbered', () => {
		const c = buildChain(6);
		c.splice(3, 1);
		const renumbered = c.map((e, i) => ({ ...e, seq: i + 1 }));
		expect(verifyChain(renumbered)).toEqual({ ok: false, firstBadSeq: 4, reason: 'prev_mismatch' });
	});

	it('detects a deleted first event and a chain not starting at 1', () => {
		expect(verifyChain(buildChain(3).slice(1))).toEqual({
			ok: false,
			firstBadSeq: 1,
			reason: 'gap'
		});
	});

	it('detects reordering: rows swapped whole, seq numbers swapped, or the list out of order', () => {
		const c = buildChain(6);
		const swappedRows = [...c];
		[swappedRows[2], swappedRows[3]] = [
			{ ...c[3], seq: 3 },
			{ ...c[2], seq: 4 }
		];
		expect(verifyChain(swappedRows)).toEqual({
			ok: false,
			firstBadSeq: 3,
			reason: 'prev_mismatch'
		});

		const swappedContent = [...c];
		swappedContent[2] = {
			...c[2],
			type: c[3].type,
			payload: c[3].payload,
			createdAt: c[3].createdAt
		};
		swappedContent[3] = {
			...c[3],
			type: c[2].type,
			payload: c[2].payload,
			createdAt: c[2].createdAt
		};
		expect(verifyChain(swappedContent)).toEqual({
			ok: false,
			firstBadSeq: 3,
			reason: 'hash_mismatch'
		});

		const outOfOrder = [c[0], c[1], c[3], c[2], c[4], c[5]];
		expect(verifyChain(outOfOrder)).toEqual({ ok: false, firstBadSeq: 3, reason: 'gap' });
	});

	it('detects a forged first event that does not start from genesis', () => {
		const c = buildChain(2);
		c[0] = { ...c[0], prevHash: 'f'.repeat(64), hash: chainHash('f'.repeat(64), c[0]) };
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 1, reason: 'prev_mismatch' });
	});

	it('reports a malformed stored event instead of throwing', () => {
		const c = buildChain(3);
		c[1] = { ...c[1], createdAt: 'yesterday' };
		expect(verifyChain(c)).toEqual({ ok: false, firstBadSeq: 2, reason: 'hash_mismatch' });
	});
});
