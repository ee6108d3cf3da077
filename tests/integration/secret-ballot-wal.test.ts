import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { as, db } from '../helpers/callers';
import { encryptedBallotOf, openEncryptedVote, partialOf } from '../helpers/secret-ballot';
import { delegates, sittingInProgress } from '../helpers/sittings';

// Issue 17, the insider's attack as a test. The plaintext secret path (gone since migration 0016) linked delegates to
// their choices through the write-ahead log (one transaction wrote the voter and the box with the choice). On the encrypted path the server is
// never sent a choice, so no byte of the data directory can hold one: this test checks that claim on the bytes.
//
// The check. Each vote here is an election of one among three candidates whose ids are random markers made for this
// test, so any trace of a choice can be searched for: a plaintext choice is stored as a record whose `choice` key
// holds one candidate id (an open vote's result, as the plaintext secret box did). After a CHECKPOINT (so the heap files hold every page) every file of the
// cluster's data directory — heap, indexes, dead tuples, free space, pg_wal — is read as bytes, and
//  1. no candidate id of the encrypted vote stands within 64 bytes after the word "choice" (jsonb stores an
//     object's keys just before its values; a text JSON the same) — a choice record, wherever it is;
//  2. no candidate id of the encrypted vote occurs alone: every occurrence has the two others within 512 bytes,
//     i.e. it is part of a list of all candidates (the ballot paper, the result), never one picked out of them —
//     which also covers "next to a voter id": nothing names one candidate anywhere, next to a voter or not;
//  3. the rows that name a voter in the ballot table hold ciphertexts and proofs only (their fields, checked).
// The same checks on an open vote run beside it — plaintext by design — fail (2 finds its ballots' lone ids), and 1
// finds a choice record stored as the plaintext box stored them, so the test can fail.

const CHOICE = Buffer.from('choice');

async function* files(dir: string): AsyncGenerator<string> {
	for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* files(full);
		else if (entry.isFile()) yield full;
	}
}

function occurrences(haystack: Buffer, needle: Buffer): number[] {
	const out: number[] = [];
	for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) out.push(i);
	return out;
}

interface Scan {
	bytes: number;
	files: number;
	occurrences: number;
	choiceRecords: number;
	lone: number;
}

async function scanDataDirectory(dataDir: string, markers: string[]): Promise<Scan> {
	const needles = markers.map((m) => Buffer.from(m));
	const scan: Scan = {
		bytes: 0,
		files: 0,
		occurrences: 0,
		choiceRecords: 0,
		lone: 0
	};
	for await (const file of files(dataDir)) {
		if ((await stat(file).catch(() => null))?.isFile() !== true) continue;
		const bytes = await readFile(file).catch(() => null);
		if (!bytes) continue;
		scan.files++;
		scan.bytes += bytes.length;
		const at = needles.map((n) => occurrences(bytes, n));
		at.forEach((positions, k) => {
			for (const p of positions) {
				scan.occurrences++;
				if (bytes.subarray(Math.max(0, p - 64), p).includes(CHOICE)) scan.choiceRecords++;
				const others = at.filter((_, j) => j !== k);
				if (!others.every((o) => o.some((q) => Math.abs(q - p) <= 512))) scan.lone++;
			}
		});
	}
	return scan;
}

const candidates = () =>
	['A', 'B', 'C'].map((name) => ({
		id: `k-${randomBytes(8).toString('hex')}`,
		name: `Ứng cử viên ${name}`
	}));

describe('encrypted secret ballot: the WAL attack', () => {
	it('after a 20-delegate encrypted vote no choice is anywhere in the data directory (an open vote fails the same check)', async () => {
		const voters = delegates().slice(0, 20);
		const choiceOf = (i: number) => i % 3;

		// An open vote first, in its own sitting: the control.
		const plainCandidates = candidates();
		const plain = await sittingInProgress(20);
		const { voteId: plainVoteId } = await plain.chair.vote.open({
			sittingId: plain.sittingId,
			itemId: plain.itemId,
			question: 'Bầu (biểu quyết công khai)',
			kind: 'open',
			options: { candidates: plainCandidates, maxChoices: 1 }
		});
		for (let i = 0; i < voters.length; i++)
			await (
				await as(voters[i])
			).vote.cast({
				voteId: plainVoteId,
				choice: [plainCandidates[choiceOf(i)].id]
			});
		await plain.chair.vote.close({ voteId: plainVoteId });
		await plain.chair.sitting.close({ sittingId: plain.sittingId });
		// A record shaped as the plaintext box's ballots were, {receipt, choice}: check 1 must find it.
		await sql`create table wal_scan_control (ballots jsonb)`.execute(db());
		await sql`insert into wal_scan_control values (${JSON.stringify([{ receipt: 'QX7P-2M4K-9T3A', choice: [plainCandidates[0].id] }])}::jsonb)`.execute(db());

		// The encrypted path: prepared, keyed, cast, closed and counted.
		const encCandidates = candidates();
		const spec = { options: 3, min: 0, max: 1 };
		const { voteId, publicKey, chair, members, secrets } = await openEncryptedVote(20, {
			options: { candidates: encCandidates, maxChoices: 1 }
		});
		for (let i = 0; i < voters.length; i++) {
			const { ballot } = await encryptedBallotOf(voteId, publicKey, voters[i], [choiceOf(i)], spec);
			await (await as(voters[i])).secretBallot.cast({ voteId, ballot });
		}
		await chair.secretBallot.closeCasting({ voteId });
		const { sums } = await db().selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		await members[0].secretBallot.postPartial({
			voteId,
			partial: partialOf(secrets[0], sums as never)
		});
		await members[1].secretBallot.postPartial({
			voteId,
			partial: partialOf(secrets[1], sums as never)
		});
		const result = (await chair.vote.result({ voteId })) as {
			candidates: { id: string; votes: number }[];
		};
		expect(Object.fromEntries(result.candidates.map((c) => [c.id, c.votes]))).toEqual({
			[encCandidates[0].id]: 7,
			[encCandidates[1].id]: 7,
			[encCandidates[2].id]: 6
		});

		// 3: what names a voter in the ballot table is ciphertexts and proofs.
		const rows = await db().selectFrom('encrypted_ballots').select(['user_id', 'tracker', 'ballot']).where('vote_id', '=', voteId).execute();
		expect(rows).toHaveLength(20);
		for (const row of rows) {
			const b = row.ballot as { options: Record<string, unknown>[] } & Record<string, unknown>;
			expect(Object.keys(b).sort()).toEqual(['options', 'publicKey', 'sum', 'v', 'voteId', 'voterId']);
			for (const o of b.options) expect(Object.keys(o).sort()).toEqual(['c1', 'c2', 'proof']);
			expect(row.tracker).toMatch(/^[0-9a-f]{64}$/);
		}

		await sql`checkpoint`.execute(db());
		const dataDir = (await sql<{ data_directory: string }>`show data_directory`.execute(db())).rows[0].data_directory;
		const encrypted = await scanDataDirectory(
			dataDir,
			encCandidates.map((c) => c.id)
		);
		const plaintext = await scanDataDirectory(
			dataDir,
			plainCandidates.map((c) => c.id)
		);
		console.log(`data directory ${dataDir}: ${encrypted.files} files, ${(encrypted.bytes / 1e6).toFixed(1)} MB read per scan`);
		console.log(
			`encrypted vote: ${encrypted.occurrences} occurrences of its candidate ids, ${encrypted.choiceRecords} in a choice record, ${encrypted.lone} alone`
		);
		console.log(
			`open vote: ${plaintext.occurrences} occurrences of its candidate ids, ${plaintext.choiceRecords} in a choice record, ${plaintext.lone} alone`
		);
		// The markers are found at all (the scan reads what it should): the ballot paper and the result hold them.
		expect(encrypted.occurrences).toBeGreaterThan(0);
		expect(encrypted.choiceRecords).toBe(0);
		expect(encrypted.lone).toBe(0);
		// The control: the open vote's ballots are in the data directory as lone ids, and the box-shaped record is found.
		expect(plaintext.lone).toBeGreaterThan(0);
		expect(plaintext.choiceRecords).toBeGreaterThan(0);
	});

	it('npm run verify:tally agrees with a counted vote (exit 0), and exits 1 once a stored ballot is altered', async () => {
		const { voteId, publicKey, chair, members, secrets } = await openEncryptedVote(20);
		const voters = delegates().slice(0, 12);
		for (let i = 0; i < voters.length; i++) {
			const { ballot } = await encryptedBallotOf(voteId, publicKey, voters[i], i % 2);
			await (await as(voters[i])).secretBallot.cast({ voteId, ballot });
		}
		await chair.secretBallot.closeCasting({ voteId });
		const { sums } = await db().selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		await members[1].secretBallot.postPartial({
			voteId,
			partial: partialOf(secrets[1], sums as never)
		});
		await members[2].secretBallot.postPartial({
			voteId,
			partial: partialOf(secrets[2], sums as never)
		});

		const run = async () => {
			try {
				const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/verify-tally.ts', voteId], { env: process.env, timeout: 120_000 });
				return { code: 0, out: stdout.trim() };
			} catch (err) {
				const e = err as { code?: number; stdout?: string; stderr?: string };
				return {
					code: e.code ?? -1,
					out: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim()
				};
			}
		};
		const ok = await run();
		console.log(`verify:tally → ${ok.code}: ${ok.out}`);
		expect(ok.code).toBe(0);
		expect(ok.out).toContain('12 lá phiếu, số phiếu theo phương án 6 / 6 / 0');

		// An insider flips one stored ballot's first option to another ballot's ciphertext: its proof no longer holds.
		const [first, second] = await db()
			.selectFrom('encrypted_ballots')
			.select(['user_id', 'ballot'])
			.where('vote_id', '=', voteId)
			.orderBy('user_id')
			.limit(2)
			.execute();
		const altered = structuredClone(first.ballot) as {
			options: { c1: string; c2: string }[];
		};
		const donor = second.ballot as { options: { c1: string; c2: string }[] };
		altered.options[0] = {
			...altered.options[0],
			c1: donor.options[0].c1,
			c2: donor.options[0].c2
		};
		await db()
			.updateTable('encrypted_ballots')
			.set({ ballot: JSON.stringify(altered) })
			.where('vote_id', '=', voteId)
			.where('user_id', '=', first.user_id)
			.execute();
		const bad = await run();
		console.log(`verify:tally after the alteration → ${bad.code}: ${bad.out}`);
		expect(bad.code).toBe(1);
		expect(bad.out).toContain('KẾT QUẢ KHÔNG ĐƯỢC XÁC NHẬN');
	});
});
