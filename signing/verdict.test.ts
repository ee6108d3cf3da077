import { describe, expect, it } from 'vitest';
import { documentVerdict } from './verdict.js';
import type { SignatureReport, VerifyResult } from './verify.js';

const sig = (over: Partial<SignatureReport> = {}): SignatureReport => ({
	fieldName: 'sig_chair',
	signerName: 'Nguyễn Thị Ánh Hồng',
	signingTime: null,
	claimedTime: null,
	timestamp: null,
	subFilter: 'ETSI.CAdES.detached',
	byteRange: [0, 10, 20, 30],
	intact: true,
	coversWholeDocument: true,
	laterModifications: [],
	chainTrusted: true,
	certificate: null,
	problems: [],
	...over
});

const result = (signatures: SignatureReport[], modifications: VerifyResult['modifications'] = []): VerifyResult => ({
	signatures,
	documentTimestamps: [],
	modifications,
	certification: 2,
	sha256: '00'
});

describe('documentVerdict: the worst finding wins', () => {
	it('VALID with the signers in order when everything holds', () => {
		expect(documentVerdict(result([sig(), sig({ signerName: 'HĐND phường Bến Thành' })]))).toEqual({
			code: 'VALID',
			signers: ['Nguyễn Thị Ánh Hồng', 'HĐND phường Bến Thành']
		});
	});

	it('NO_SIGNATURES for an unsigned file', () => {
		expect(documentVerdict(result([])).code).toBe('NO_SIGNATURES');
	});

	it('SIGNATURE_BROKEN before anything else', () => {
		const modified = [{ revision: 4, changes: [{ objectNumber: 8, kind: 'annotation' as const }] }];
		expect(documentVerdict(result([sig({ intact: false, problems: ['DIGEST_MISMATCH'] })], modified)).code).toBe('SIGNATURE_BROKEN');
	});

	it('MODIFIED_AFTER_SIGNING names the first revision that changed the content, even when every signature is intact', () => {
		const modified = [
			{ revision: 4, changes: [{ objectNumber: 8, kind: 'annotation' as const }] },
			{ revision: 5, changes: [{ objectNumber: 9, kind: 'page-content' as const }] }
		];
		expect(documentVerdict(result([sig({ chainTrusted: false, problems: ['CHAIN_UNTRUSTED', 'MODIFIED_AFTER_SIGNING'] })], modified))).toMatchObject({
			code: 'MODIFIED_AFTER_SIGNING',
			revision: 4
		});
	});

	it('UNTRUSTED when a signer is outside the trusted CAs, unless trust was not checked', () => {
		const untrusted = result([sig({ chainTrusted: false, problems: ['CHAIN_UNTRUSTED'] })]);
		expect(documentVerdict(untrusted).code).toBe('UNTRUSTED');
		expect(documentVerdict(untrusted, { trustChecked: false }).code).toBe('VALID');
	});

	it('a timestamp from an untrusted TSA is NOT_STANDARD, unless trust was not checked; a broken one always is', () => {
		const stamped = result([sig({ timestamp: { time: new Date(), trusted: false }, problems: ['TIMESTAMP_UNTRUSTED'] })]);
		expect(documentVerdict(stamped).code).toBe('NOT_STANDARD');
		expect(documentVerdict(stamped, { trustChecked: false }).code).toBe('VALID');
		expect(documentVerdict(result([sig({ problems: ['TIMESTAMP_INVALID'] })]), { trustChecked: false }).code).toBe('NOT_STANDARD');
	});

	it('NOT_STANDARD for an intact, trusted signature with another problem', () => {
		expect(documentVerdict(result([sig({ problems: ['SIGNING_TIME_ATTR_PRESENT'] })])).code).toBe('NOT_STANDARD');
	});
});
