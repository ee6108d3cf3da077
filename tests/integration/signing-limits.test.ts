import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { createRootCa, issuePersonCertificate, toPkcs12 } from '../../signing/index';
import { adoptedResolution, RESOLUTION_BODY } from '../helpers/resolutions';
import { as, db, userIdOf } from '../helpers/callers';

// Issue 19: 40 wrong passphrases in a row to resolution.sign went through, the stored PKCS#12 used 2,048 PBKDF2
// iterations and a one-character passphrase was accepted. Now: 5 wrong passphrases per user in 15 minutes, then
// 429 with the wait; at least 8 characters for a passphrase a person sets; 600,000 iterations for stores written now.

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';


/** The refusal as the client gets it: tRPC code, HTTP status, message key and parameters, message. */
async function refusal(call: Promise<unknown>) {
	const err = await call.then(
		() => null,
		(e: unknown) => e
	);
	if (!(err instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(err)}`);
	const app = err as TRPCError & { i18nKey?: string; params?: Record<string, unknown> };
	const invalid = err.cause instanceof ZodError ? err.cause.issues.map((i) => i.path.join('.')) : undefined;
	return { code: err.code, status: getHTTPStatusCodeFromError(err), i18nKey: app.i18nKey, params: app.params, message: err.message, invalid };
}

const failuresOf = async (userId: string) =>
	Number((await db().selectFrom('signing_failures').select(db().fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

const WRONG = { code: 'BAD_REQUEST', status: 400, i18nKey: 'WRONG_PASSPHRASE', params: undefined, message: 'Mật khẩu chứng thư số không đúng.' };
const LIMITED = {
	code: 'TOO_MANY_REQUESTS',
	status: 429,
	i18nKey: 'resolution.passphraseLimited',
	params: { minutes: 15 },
	message: 'Đã nhập sai mật khẩu chứng thư số nhiều lần. Vui lòng thử lại sau 15 phút.'
};

describe('signing limits', () => {
	it('refuses the 6th attempt after 5 wrong passphrases (even the right one) with 429 and the wait, changing nothing; the demo passphrase works after the window', async () => {
		const { resolutionId, chair } = await adoptedResolution('Về giới hạn ký số');
		const chairId = await userIdOf('chair.26743');
		for (let i = 1; i <= 5; i++) expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: `doan-sai-${i}` }))).toEqual(WRONG);
		expect(await failuresOf(chairId)).toBe(5);
		expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: 'demo' }))).toEqual(LIMITED);
		expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: 'doan-sai-6' }))).toEqual(LIMITED);
		expect(await failuresOf(chairId)).toBe(5); // refused before any reservation
		const status = async () => (await db().selectFrom('resolutions').select('status').where('id', '=', resolutionId).executeTakeFirstOrThrow()).status;
		expect(await status()).toBe('adopted');

		// Ten minutes later the wait is what is left of the window for the 5th most recent failure.
		await sql`update signing_failures set at = at - interval '10 minutes' where user_id = ${chairId}`.execute(db());
		expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: 'demo' }))).toEqual({
			...LIMITED,
			params: { minutes: 5 },
			message: 'Đã nhập sai mật khẩu chứng thư số nhiều lần. Vui lòng thử lại sau 5 phút.'
		});
		// Once they are older than the window, the demo passphrase (4 characters, the operator's) signs, and the
		// user's failures are forgotten.
		await sql`update signing_failures set at = at - interval '6 minutes' where user_id = ${chairId}`.execute(db());
		expect(await chair.resolution.sign({ resolutionId, passphrase: 'demo' })).toMatchObject({ resolutionId, status: 'signed', revision: 1 });
		expect(await failuresOf(chairId)).toBe(0);
	});

	it('counts parallel guesses: of 8 at once, exactly 5 are judged and 3 refused with 429', async () => {
		const { resolutionId, chair } = await adoptedResolution('Về giới hạn ký số');
		const chairId = await userIdOf('chair.26743');
		await db().deleteFrom('signing_failures').execute();
		const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => refusal(chair.resolution.sign({ resolutionId, passphrase: `song-song-${i}` }))));
		expect(answers.filter((a) => a.code === 'BAD_REQUEST')).toEqual(Array(5).fill(WRONG));
		expect(answers.filter((a) => a.code === 'TOO_MANY_REQUESTS')).toEqual(Array(3).fill(LIMITED));
		expect(await failuresOf(chairId)).toBe(5);
	});

	it('counts only wrong passphrases: refusals for other reasons leave no failure behind; the limit is per user', async () => {
		const { resolutionId, chair, itemId } = await adoptedResolution('Về giới hạn ký số');
		await db().deleteFrom('signing_failures').execute();
		const chairId = await userIdOf('chair.26743');
		const clerk = await as('clerk.26743');
		const clerkId = await userIdOf('clerk.26743');
		// The clerk may not seal before the chair signed: that is no guess at the passphrase.
		for (let i = 0; i < 7; i++) {
			expect(await refusal(clerk.resolution.seal({ resolutionId, passphrase: `bat-ky-${i}` }))).toMatchObject({ code: 'PRECONDITION_FAILED', i18nKey: 'resolution.notSignedByChair' });
		}
		expect(await failuresOf(clerkId)).toBe(0);
		// A draft cannot be signed either.
		const { resolutionId: draftId } = await chair.resolution.draft({ itemId, title: 'Dự thảo khác', body: RESOLUTION_BODY });
		for (let i = 0; i < 7; i++) expect(await refusal(chair.resolution.sign({ resolutionId: draftId, passphrase: `bat-ky-${i}` }))).toMatchObject({ code: 'PRECONDITION_FAILED' });
		expect(await failuresOf(chairId)).toBe(0);
		// The chair's five wrong passphrases do not block the clerk.
		for (let i = 0; i < 5; i++) expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: `sai-${i}` }))).toEqual(WRONG);
		expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: 'demo' }))).toEqual(LIMITED);
		await sql`update signing_failures set at = at - interval '16 minutes' where user_id = ${chairId}`.execute(db());
		await chair.resolution.sign({ resolutionId, passphrase: 'demo' });
		expect(await clerk.resolution.seal({ resolutionId, passphrase: 'demo' })).toMatchObject({ status: 'issued' });
	});
});

describe('passphrases a person sets on an imported certificate', () => {
	const YEAR_MS = 365 * 86_400_000;
	function externalP12(pass: string) {
		const ca = createRootCa({ commonName: 'CA ngoài', organization: 'Tổ chức chứng thực khác', validYears: 10, validFrom: new Date(Date.now() - 3 * YEAR_MS) });
		const id = issuePersonCertificate(ca, { commonName: 'Chủ tịch', organization: 'HĐND', validFrom: new Date(Date.now() - 3_600_000), validTo: new Date(Date.now() + YEAR_MS) });
		// A token export: its own short PIN and a low iteration count, as such files come.
		return Buffer.from(toPkcs12(id.privateKey, [id.certificate, ...id.chain], pass, { iterations: 2048 })).toString('base64');
	}

	it('needs at least 8 characters to store a key under, judges a wrong file passphrase first, and stores with 600,000 iterations', async () => {
		const { resolutionId, chair, councilId } = await adoptedResolution('Về giới hạn ký số');
		const chairId = await userIdOf('chair.26743');
		const p12Base64 = externalP12('1234');
		const stored = async () => db().selectFrom('signing_identities').select(['external', 'pkcs12', 'private_key']).where('user_id', '=', chairId).where('revoked_at', 'is', null).execute();
		const before = await stored();

		expect(await refusal(chair.resolution.importCertificate({ councilId, p12Base64, passphrase: '9999' }))).toEqual(WRONG);
		expect(await refusal(chair.resolution.importCertificate({ councilId, p12Base64, passphrase: '1234' }))).toEqual({
			code: 'BAD_REQUEST',
			status: 400,
			i18nKey: 'resolution.passphraseTooShort',
			params: { min: 8 },
			message: 'Mật khẩu bảo vệ chứng thư số phải có ít nhất 8 ký tự.'
		});
		const short = await refusal(chair.resolution.importCertificate({ councilId, p12Base64, passphrase: '1234', newPassphrase: 'x' }));
		expect(short).toMatchObject({ code: 'BAD_REQUEST', status: 400, invalid: ['newPassphrase'] });
		expect(await stored()).toEqual(before);

		await chair.resolution.importCertificate({ councilId, p12Base64, passphrase: '1234', newPassphrase: 'Mat khau moi 2026' });
		const [row] = await stored();
		expect(row.external).toBe(true);
		expect(row.pkcs12).toBeNull();
		// Stored as encrypted PKCS#8, which OpenSSL opens under the new passphrase.
		const dir = mkdtempSync(path.join(tmpdir(), 'nts-key-'));
		const file = path.join(dir, 'stored.der');
		writeFileSync(file, row.private_key!);
		const openssl = spawnSync('openssl', ['pkcs8', '-inform', 'DER', '-in', file, '-passin', 'pass:Mat khau moi 2026', '-out', path.join(dir, 'plain.pem')], { encoding: 'utf8' });
		expect(openssl.status, openssl.stderr).toBe(0);
		const asn1 = spawnSync('openssl', ['asn1parse', '-inform', 'DER', '-in', file], { encoding: 'utf8' }).stdout;
		expect(asn1.match(/:(PBES2|PBKDF2|hmacWithSHA256|aes-256-cbc)\b/g)).toEqual([':PBES2', ':PBKDF2', ':hmacWithSHA256', ':aes-256-cbc']);
		// 600,000 = 0x0927C0 (the key's iteration count; the other INTEGER is the key length, 32).
		expect(asn1.match(/INTEGER\s*:([0-9A-F]+)/g)?.map((m) => parseInt(m.split(':')[1], 16))).toEqual([600_000, 32]);

		expect(await refusal(chair.resolution.sign({ resolutionId, passphrase: '1234' }))).toEqual(WRONG);
		expect(await chair.resolution.sign({ resolutionId, passphrase: 'Mat khau moi 2026' })).toMatchObject({ status: 'signed' });
	});
});
