import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityTimestampAuthority } from '../../app/lib/server/resolutions/tsa';
import { db } from '../helpers/callers';
import { createFixtures, type Fixtures } from '../helpers/matrix/fixtures';
import { ROLES, changedTables, invoke, isValidationError, routerProcedures, rowCounts } from '../helpers/matrix/harness';
import { describeInput, edgeInputs, hostileInput } from '../helpers/matrix/hostile';
import { MATRIX } from '../helpers/matrix/table';

// Hostile input for every procedure of the router, as callers who pass the guards (admin, and the chair of
// Bến Thành): the call resolves, or it is refused with a TRPCError that is never INTERNAL_SERVER_ERROR, with a
// readable message ("Dữ liệu không hợp lệ: …" for invalid input), and a refused call writes nothing.

const PROCEDURES = routerProcedures();
/** Authorised callers: the admin and the chair of Bến Thành where the matrix allows them, else the allowed role. */
function callersOf(path: string): string[] {
	const allowed = MATRIX[path]?.allowed ?? [];
	const callers = (['admin', 'chair'] as const).filter((r) => allowed.includes(r)).map((r) => ROLES[r]);
	if (callers.length) return callers;
	const first = allowed.find((r) => r !== 'anonymous');
	return first ? [ROLES[first] as string] : [ROLES.admin, ROLES.chair];
}
const RUNS = Number(process.env.FUZZ_RUNS ?? 24);
/** Deterministic by default (a failure reproduces); FUZZ_SEED explores other inputs. */
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20_260_701);
/** Writes a refused call may make by design. */
const EXPECTED_WRITES: Record<string, readonly string[]> = {
	// Failed logins are counted for the rate limit (docs/security.md, "Login limits": 5 per account and address, 30 per address in 15 minutes).
	'auth.login': ['login_failures'],
	// Wrong signing passphrases are counted for the signing limit (docs/security.md, "Signing and account
	// administration": 5 per user in 15 minutes).
	'resolution.sign': ['signing_failures'],
	'resolution.seal': ['signing_failures']
};

function seedOf(path: string): number {
	let h = BASE_SEED;
	for (const c of path) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
	return h;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

describe('fuzzing every procedure’s input', () => {
	let f: Fixtures;

	beforeAll(async () => {
		process.on('unhandledRejection', onUnhandled);
		f = await createFixtures();
		// The app provisions the city's timestamp authority at start (hooks.server.ts); a refused signing call must
		// then write nothing at all.
		await cityTimestampAuthority(db());
	}, 120_000);

	afterAll(() => {
		process.off('unhandledRejection', onUnhandled);
	});

	it.each(PROCEDURES)('$path ($type) survives hostile input', async ({ path, type }) => {
		const entry = MATRIX[path];
		expect(entry, `missing entry for ${path}`).toBeDefined();
		const template = entry.input(f);
		const callers = callersOf(path);
		const examples = edgeInputs(template).map((input, i): [string, unknown] => [callers[i % callers.length], input]);
		// Every distinct problem is collected (not only the first), so one run reports all of them.
		const problems = new Map<string, string>();
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...callers), hostileInput(template), async (who, input) => {
				const before = await rowCounts();
				const out = await invoke(who, path, type, input, 20);
				if (out.ok) return;
				const problem = (text: string) => {
					const key = text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>');
					if (!problems.has(key)) problems.set(key, `${text}\n      e.g. as ${who} with ${describeInput(input)}`);
				};
				if (out.code === 'INTERNAL_SERVER_ERROR' || out.code.startsWith('NOT_A_TRPC_ERROR')) {
					const cause = out.error.cause as { name?: string; message?: string } | undefined;
					problem(`${out.code}: ${cause?.name ?? 'Error'}: ${cause?.message ?? out.message}`);
				}
				if (!out.message.trim()) problem(`${out.code} without a message`);
				if (isValidationError(out.error) && (out.code !== 'BAD_REQUEST' || !out.message.startsWith('Dữ liệu không hợp lệ'))) {
					problem(`invalid input answered ${out.code} "${out.message.slice(0, 80)}"`);
				}
				const changed = changedTables(before, await rowCounts(), EXPECTED_WRITES[path] ?? []);
				if (changed.length) problem(`refused (${out.code}) but wrote to ${changed.join(', ')}`);
			}),
			{ numRuns: RUNS, seed: seedOf(path), examples }
		);
		expect([...problems.values()], `${path}: hostile input`).toEqual([]);
	});

	it('left no unhandled rejection behind', async () => {
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(unhandled.map(String)).toEqual([]);
	});
});
