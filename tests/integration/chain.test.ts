import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { as, db } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';

const run = promisify(execFile);

async function verifyCli(sittingId: string) {
	try {
		const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-chain.ts', sittingId], { env: { ...process.env } });
		return { code: 0, stdout };
	} catch (err) {
		const e = err as { code: number; stdout: string };
		return { code: e.code, stdout: e.stdout };
	}
}

async function votedSitting() {
	const s = await sittingInProgress(20);
	const { voteId } = await s.chair.vote.open({ sittingId: s.sittingId, itemId: s.itemId, question: 'Thông qua?', kind: 'open' });
	for (const [i, u] of delegates().slice(0, 20).entries()) await (await as(u)).vote.cast({ voteId, choice: i < 17 ? 'yes' : 'no' });
	await s.chair.vote.close({ voteId });
	return { ...s, voteId };
}

describe('tamper evidence (npm run verify:chain)', () => {
	it('says an untouched sitting is intact', async () => {
		const { sittingId } = await votedSitting();
		const out = await verifyCli(sittingId);
		expect(out.code).toBe(0);
		expect(out.stdout).toContain('Chuỗi sự kiện toàn vẹn');
	});

	it('names the first altered event when an event payload is edited', async () => {
		const { sittingId } = await votedSitting();
		await sql`update sitting_events set payload = jsonb_set(payload, '{present}', '29') where sitting_id = ${sittingId} and seq = 10`.execute(db());
		const out = await verifyCli(sittingId);
		expect(out.code).toBe(1);
		expect(out.stdout).toContain('#10');
	});

	it('detects a deleted event and a rewritten tail', async () => {
		const { sittingId } = await votedSitting();
		await sql`delete from sitting_events where sitting_id = ${sittingId} and seq = 7`.execute(db());
		expect((await verifyCli(sittingId)).stdout).toContain('#7');
		const other = await votedSitting();
		const last = (await db().selectFrom('sittings').select('last_seq').where('id', '=', other.sittingId).executeTakeFirstOrThrow()).last_seq;
		await sql`delete from sitting_events where sitting_id = ${other.sittingId} and seq = ${last}`.execute(db());
		expect((await verifyCli(other.sittingId)).code).toBe(1);
	});

	it('detects an altered open ballot and names the vote’s close event', async () => {
		const { sittingId, voteId } = await votedSitting();
		await sql`update open_ballots set choice = '"yes"' where vote_id = ${voteId} and choice = '"no"' and user_id = (select user_id from open_ballots where vote_id = ${voteId} and choice = '"no"' limit 1)`.execute(db());
		const report = await (await as('chair.26743')).sitting.verifyChain({ sittingId });
		expect(report).toMatchObject({ ok: false, reason: 'ballots_altered', voteId });
		const closeSeq = (await db().selectFrom('sitting_events').select('seq').where('sitting_id', '=', sittingId).where('type', '=', 'vote.closed').executeTakeFirstOrThrow()).seq;
		expect(report.ok === false && report.firstBadSeq).toBe(Number(closeSeq));
		expect((await verifyCli(sittingId)).code).toBe(1);
	});

	// (A secret vote's ballots: secret-ballot-chain.test.ts; an archived one's: secret-archive-migration.test.ts.)
	it('detects an edited stored result', async () => {
		const open = await votedSitting();
		await sql`update votes set result = jsonb_set(result, '{yes}', '20') where id = ${open.voteId}`.execute(db());
		expect(await (await as('chair.26743')).sitting.verifyChain({ sittingId: open.sittingId })).toMatchObject({ ok: false, reason: 'result_altered' });
	});
});

describe('minutes of votes', () => {
	it('give each vote’s result with its rule, and the chain head, as PDF and CSV', async () => {
		const { sittingId } = await votedSitting();
		const { voteMinutes } = await import('../../app/lib/server/minutes/vote-minutes');
		const { minutesCsv } = await import('../../app/lib/server/minutes/csv');
		const { minutesPdf } = await import('../../app/lib/server/minutes/pdf');
		const minutes = await voteMinutes(db(), sittingId, 'vi');
		const head = (await db().selectFrom('sittings').select('head_hash').where('id', '=', sittingId).executeTakeFirstOrThrow()).head_hash;
		const csv = minutesCsv(minutes, 'vi');
		expect(csv).toContain('Thông qua?');
		expect(csv).toContain('Quá nửa tổng số đại biểu (16/30)');
		expect(csv).toContain(',30,20,17,3,0,10,Thông qua,');
		expect(csv).toContain(head);
		const pdf = await minutesPdf(minutes, 'vi');
		const { writeFileSync, mkdtempSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const file = `${mkdtempSync(`${tmpdir()}/minutes-`)}/bien-ban.pdf`;
		writeFileSync(file, pdf);
		const { stdout } = await run('pdftotext', ['-layout', file, '-']);
		expect(stdout).toContain('BIÊN BẢN KẾT QUẢ BIỂU QUYẾT');
		expect(stdout).toContain(head);
	});
});
