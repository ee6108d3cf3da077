import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchorMessage, asSignedAnchor, keyIdOf, toBase64, verifyAnchor, type ChainHead, type SignedAnchor } from './anchor';
import { checkAnchors, firstContradiction, parseWitness, witnessFile } from './witness';

const SITTING = '0b0f5c1e-6a49-4c5e-9d2a-3f1e2d3c4b5a';
const VOTE = '7d2c9a10-1b2c-4d3e-8f40-5a6b7c8d9e0f';
const HASH = 'ab'.repeat(32);
const head: ChainHead = {
	sittingId: SITTING,
	seq: 42,
	hash: HASH,
	signedAt: '2026-12-07T03:04:05.678Z',
	closed: 'vote',
	voteId: VOTE
};

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
	modulusLength: 2048
});
const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherSpki = new Uint8Array(other.publicKey.export({ type: 'spki', format: 'der' }));

async function signed(h: ChainHead = head): Promise<SignedAnchor> {
	return {
		...h,
		alg: 'RS256',
		keyId: await keyIdOf(spki),
		signature: toBase64(sign('sha256', anchorMessage(h), privateKey))
	};
}

describe('anchorMessage', () => {
	it('is one fixed ASCII line per field, in order', () => {
		expect(new TextDecoder().decode(anchorMessage(head))).toBe(`nghi-truong-so chain-anchor v1\nsitting ${SITTING}\nseq 42\nhash ${HASH}\nsigned-at 2026-12-07T03:04:05.678Z\nclosed vote ${VOTE}\n`);
		expect(new TextDecoder().decode(anchorMessage({ ...head, closed: 'sitting', voteId: null }))).toMatch(/\nclosed sitting\n$/);
	});

	it('refuses a malformed head rather than sign something ambiguous', () => {
		expect(() => anchorMessage({ ...head, seq: 0 })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, seq: 1.5 })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, hash: HASH.toUpperCase() })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, sittingId: 'x\nseq 1' })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, signedAt: '07/12/2026' })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, closed: 'vote', voteId: null })).toThrow(TypeError);
		expect(() => anchorMessage({ ...head, closed: 'sitting', voteId: VOTE })).toThrow(TypeError);
	});
});

describe('verifyAnchor', () => {
	it('accepts a head signed by the key', async () => {
		expect(await verifyAnchor(await signed(), spki)).toBe(true);
	});

	it('refuses a changed seq, hash, sitting, time, vote or signature, and another key', async () => {
		const good = await signed();
		expect(await verifyAnchor({ ...good, seq: 43 }, spki)).toBe(false);
		expect(await verifyAnchor({ ...good, hash: 'cd'.repeat(32) }, spki)).toBe(false);
		expect(await verifyAnchor({ ...good, sittingId: VOTE }, spki)).toBe(false);
		expect(await verifyAnchor({ ...good, signedAt: '2026-12-07T03:04:05.679Z' }, spki)).toBe(false);
		expect(await verifyAnchor({ ...good, closed: 'sitting', voteId: null }, spki)).toBe(false);
		const sig = Buffer.from(good.signature, 'base64');
		sig[10] ^= 1;
		expect(await verifyAnchor({ ...good, signature: sig.toString('base64') }, spki)).toBe(false);
		expect(await verifyAnchor(good, otherSpki)).toBe(false);
		expect(await verifyAnchor({ ...good, keyId: await keyIdOf(otherSpki) }, otherSpki)).toBe(false);
	});
});

describe('checkAnchors (a witness against the chain now)', () => {
	it('matches, names a rewritten or removed head, and ignores an unsigned one', async () => {
		const at42 = await signed();
		const at50 = await signed({
			...head,
			seq: 50,
			hash: 'cd'.repeat(32),
			closed: 'sitting',
			voteId: null
		});
		const forged = {
			...(await signed({ ...head, seq: 10 })),
			signature: toBase64(new Uint8Array(256))
		};
		const intact = await checkAnchors(
			SITTING,
			[at50, at42, forged],
			{
				length: 50,
				hashes: new Map([
					[42, HASH],
					[50, 'cd'.repeat(32)],
					[10, 'ef'.repeat(32)]
				])
			},
			spki
		);
		expect(intact.map((c) => [c.anchor.seq, c.verdict])).toEqual([
			[10, 'bad_signature'],
			[42, 'match'],
			[50, 'match']
		]);
		expect(firstContradiction(intact)).toBeNull();

		const rewritten = await checkAnchors(SITTING, [at42, at50], { length: 49, hashes: new Map([[42, 'ee'.repeat(32)]]) }, spki);
		expect(rewritten.map((c) => c.verdict)).toEqual(['altered', 'missing']);
		expect(firstContradiction(rewritten)).toMatchObject({
			anchor: { seq: 42 },
			verdict: 'altered',
			chainHash: 'ee'.repeat(32)
		});

		const elsewhere = await checkAnchors(VOTE, [at42], { length: 50, hashes: new Map([[42, HASH]]) }, spki);
		expect(elsewhere[0].verdict).toBe('bad_signature');
	});

	it('reads back a witness file and refuses one with a malformed entry', async () => {
		const file = JSON.parse(JSON.stringify(witnessFile(SITTING, [await signed()])));
		expect(parseWitness(file)).toEqual(file);
		expect(parseWitness({ ...file, anchors: [{ ...file.anchors[0], seq: '42' }] })).toBeNull();
		expect(parseWitness({ ...file, format: 'other' })).toBeNull();
		expect(asSignedAnchor({ ...file.anchors[0], extra: 1 })).toEqual(file.anchors[0]);
	});
});
