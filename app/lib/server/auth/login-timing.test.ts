/**
 * The claim (routers/auth.ts, docs/security.md): a wrong password for an unknown username is verified against a
 * dummy hash, so the answer takes as long as for a known username and its timing does not tell which accounts
 * exist. Measured on the password check the login makes, `verifyPassword(user?.password_hash ?? dummy, password)`,
 * without the HTTP layer and its rate limits (which would refuse 400 wrong passwords long before the end).
 *
 * A known user's hash is made by hashPassword, as the seed and admin.createUser store it; so a dummy hash made with
 * other (e.g. cheaper) argon2 parameters, or a dummy that is never verified, makes the medians differ.
 */
import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';

const TRIES = 200;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

/** The login's check of a password, for a user found (their stored hash) or not (undefined). */
async function checkPassword(storedHash: string | undefined, password: string): Promise<boolean> {
	return verifyPassword(storedHash ?? (await dummyPasswordHash()), password);
}

async function timed(fn: () => Promise<boolean>): Promise<{ ms: number; ok: boolean }> {
	const t0 = process.hrtime.bigint();
	const ok = await fn();
	return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ok };
}

describe('login timing for unknown usernames', () => {
	it(`a wrong password takes as long for an unknown user as for a known one (median of ${TRIES} tries each)`, async () => {
		const knownHash = await hashPassword('mật khẩu đúng của đại biểu');
		// The dummy is computed once per process, at the first unknown username: not part of what is compared.
		await dummyPasswordHash();
		// One try of each first, so that neither side pays for warming up argon2.
		await checkPassword(knownHash, 'sai');
		await checkPassword(undefined, 'sai');

		const known: number[] = [];
		const unknown: number[] = [];
		// Interleaved, one at a time: drift in the machine's load affects both sides alike.
		for (let i = 0; i < TRIES; i++) {
			const k = await timed(() => checkPassword(knownHash, `sai-${i}`));
			const u = await timed(() => checkPassword(undefined, `sai-${i}`));
			expect([k.ok, u.ok]).toEqual([false, false]);
			known.push(k.ms);
			unknown.push(u.ms);
		}
		const ratio = median(unknown) / median(known);
		// Generous bounds: indistinguishable means the same argon2 work, not equal to the microsecond. Skipping the
		// hash for unknown users gives a ratio near 0 (see the next test); cheaper dummy parameters, well below 0.7.
		expect(ratio, `median unknown ${median(unknown).toFixed(2)} ms / known ${median(known).toFixed(2)} ms`).toBeGreaterThan(0.7);
		expect(ratio, `median unknown ${median(unknown).toFixed(2)} ms / known ${median(known).toFixed(2)} ms`).toBeLessThan(1.4);
	}, 120_000);

	it('the measurement tells a skipped hash apart (so the test above can fail)', async () => {
		const knownHash = await hashPassword('mật khẩu đúng của đại biểu');
		const known: number[] = [];
		const skipped: number[] = [];
		for (let i = 0; i < 20; i++) {
			known.push((await timed(() => checkPassword(knownHash, `sai-${i}`))).ms);
			// What the login would do without the defence: answer "wrong" at once for an unknown user.
			skipped.push((await timed(async () => false)).ms);
		}
		expect(median(skipped) / median(known)).toBeLessThan(0.7);
	});
});
