import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { asSignedAnchor, verifyAnchor, type SignedAnchor } from '../../app/lib/chain-anchors/anchor';
import { witnessFile } from '../../app/lib/chain-anchors/witness';
import { councilAnchorKey } from '../../app/lib/server/sittings/anchor-key';
import { checkWitness, verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { as, councilIdOf, db } from '../helpers/callers';
import { rewriteHistory } from '../helpers/chain-rewrite';
import { COUNCIL, delegates, sittingInProgress } from '../helpers/sittings';

const run = promisify(execFile);

async function verifyCli(...args: string[]) {
	try {
		const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-chain.ts', ...args], { env: { ...process.env } });
		return { code: 0, stdout };
	} catch (err) {
		const e = err as { code: number; stdout: string };
		return { code: e.code, stdout: e.stdout };
	}
}

async function events(sittingId: string) {
	return db().selectFrom('sitting_events').select(['seq', 'type', 'payload', 'created_at', 'hash']).where('sitting_id', '=', sittingId).orderBy('seq').execute();
}

/** 20 delegates vote in the open, 17 yes and 3 no; the chair closes. */
async function votedSitting() {
	const s = await sittingInProgress(20);
	const { voteId } = await s.chair.vote.open({
		sittingId: s.sittingId,
		itemId: s.itemId,
		question: 'Thông qua?',
		kind: 'open'
	});
	for (const [i, u] of delegates().slice(0, 20).entries()) await (await as(u)).vote.cast({ voteId, choice: i < 17 ? 'yes' : 'no' });
	await s.chair.vote.close({ voteId });
	return { ...s, voteId };
}

function writeWitness(sittingId: string, anchors: SignedAnchor[]) {
	const file = `${mkdtempSync(`${tmpdir()}/witness-`)}/dau-chuoi.json`;
	writeFileSync(file, JSON.stringify(witnessFile(sittingId, anchors)));
	return file;
}

describe('signed chain heads (issue 17, anchors outside the database)', () => {
	it('signs the head that includes a vote’s close with the council’s CA key, as the next event', async () => {
		const { sittingId, voteId } = await votedSitting();
		const rows = await events(sittingId);
		const last = rows[rows.length - 1];
		const close = rows[rows.length - 2];
		expect(last.type).toBe('chain.anchor');
		expect(close.type).toBe('vote.closed');
		const anchor = asSignedAnchor(last.payload)!;
		expect(anchor).toMatchObject({
			sittingId,
			seq: Number(close.seq),
			hash: close.hash,
			closed: 'vote',
			voteId,
			alg: 'RS256'
		});
		const key = (await councilAnchorKey(db(), await councilIdOf(COUNCIL)))!;
		expect(await verifyAnchor(anchor, key)).toBe(true);
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({
			ok: true,
			events: rows.length
		});

		const file = writeWitness(sittingId, [anchor]);
		const out = await verifyCli(sittingId, '--witness', file);
		expect(out.code).toBe(0);
		expect(out.stdout).toContain('Khớp 1/1 đầu chuỗi đã ký');
	});

	it('signs the sitting’s final head at its close', async () => {
		const { sittingId, chair } = await votedSitting();
		await chair.sitting.close({ sittingId });
		const rows = await events(sittingId);
		const anchor = asSignedAnchor(rows[rows.length - 1].payload)!;
		expect(rows[rows.length - 2]).toMatchObject({
			type: 'sitting.status',
			payload: { status: 'closed' }
		});
		expect(anchor).toMatchObject({
			seq: rows.length - 1,
			hash: rows[rows.length - 2].hash,
			closed: 'sitting',
			voteId: null
		});
	});

	it('a rewrite that keeps the chain’s signed heads is caught by the chain check itself', async () => {
		const { sittingId, voteId } = await votedSitting();
		await rewriteHistory(db(), sittingId, voteId, false);
		const anchorSeq = (await events(sittingId)).length;
		expect(await verifySittingChain(db(), sittingId)).toEqual({
			ok: false,
			events: anchorSeq,
			firstBadSeq: anchorSeq,
			reason: 'anchor_mismatch'
		});
	});

	it('a rewrite that also drops them passes the chain check but not a head kept outside (witness file, CLI)', async () => {
		const { sittingId, voteId } = await votedSitting();
		const rows = await events(sittingId);
		const kept = asSignedAnchor(rows[rows.length - 1].payload)!;
		await rewriteHistory(db(), sittingId, voteId, true);

		const chain = await verifySittingChain(db(), sittingId);
		expect(chain.ok).toBe(true);
		const result = (await db().selectFrom('votes').select('result').where('id', '=', voteId).executeTakeFirstOrThrow()).result as { yes: number };
		expect(result.yes).toBe(20);

		const [check] = await checkWitness(db(), sittingId, [kept]);
		expect(check.verdict).toBe('altered');
		expect(check.anchor.seq).toBe(kept.seq);
		expect(check.chainHash).not.toBe(kept.hash);

		const out = await verifyCli(sittingId, '--witness', writeWitness(sittingId, [kept]));
		expect(out.code).toBe(1);
		expect(out.stdout).toContain('Chuỗi sự kiện toàn vẹn');
		expect(out.stdout).toContain(`LỊCH SỬ ĐÃ BỊ VIẾT LẠI: đầu chuỗi đã ký #${kept.seq} (ký lúc ${kept.signedAt}) có mã băm ${kept.hash}, nay là ${check.chainHash}`);
	});

	it('refuses a witness file that is not one, or is another sitting’s, with a Vietnamese line and exit 2', async () => {
		const { sittingId } = await votedSitting();
		const dir = mkdtempSync(`${tmpdir()}/witness-`);
		writeFileSync(`${dir}/x.json`, '{"format":"other"}');
		const bad = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-chain.ts', sittingId, '--witness', `${dir}/x.json`], { env: { ...process.env } }).catch(
			(e) => e as { code: number; stderr: string }
		);
		expect(bad).toMatchObject({
			code: 2,
			stderr: expect.stringContaining('không phải tệp đầu chuỗi đã ký')
		});
		const other = writeWitness('00000000-0000-4000-8000-000000000000', []);
		const elsewhere = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-chain.ts', sittingId, '--witness', other], { env: { ...process.env } }).catch(
			(e) => e as { code: number; stderr: string }
		);
		expect(elsewhere).toMatchObject({
			code: 2,
			stderr: expect.stringContaining('không phải của kỳ họp')
		});
	});

	it('ends the minutes PDF with the last signed head', async () => {
		const { sittingId, chair } = await votedSitting();
		await chair.sitting.close({ sittingId });
		const rows = await events(sittingId);
		const anchor = asSignedAnchor(rows[rows.length - 1].payload)!;
		const { voteMinutes } = await import('../../app/lib/server/minutes/vote-minutes');
		const { minutesPdf } = await import('../../app/lib/server/minutes/pdf');
		const minutes = await voteMinutes(db(), sittingId, 'vi');
		expect(minutes.anchor).toMatchObject({
			seq: anchor.seq,
			hash: anchor.hash,
			keyId: anchor.keyId
		});
		const file = `${mkdtempSync(`${tmpdir()}/minutes-`)}/bien-ban.pdf`;
		writeFileSync(file, await minutesPdf(minutes, 'vi'));
		const { stdout } = await run('pdftotext', ['-layout', file, '-']);
		const lines = stdout.split('\n').map((l) => l.trim());
		expect(lines).toContain(`Đầu chuỗi đã ký cuối cùng: sự kiện #${anchor.seq}, ký lúc ${minutes.anchor!.signedAt}:`);
		expect(lines).toContain(`Mã băm: ${anchor.hash}`);
		expect(lines).toContain(`Dấu vân tay khóa ký (SHA-256): ${anchor.keyId}`);
		expect(minutes.anchor!.signedAt).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
	});

	it('sitting.chainHeads gives the check page the chain’s hashes at the kept heads and the council’s key', async () => {
		const { sittingId, chair } = await votedSitting();
		const rows = await events(sittingId);
		const anchor = asSignedAnchor(rows[rows.length - 1].payload)!;
		const view = await chair.sitting.chainHeads({
			sittingId,
			seqs: [anchor.seq, 9999]
		});
		expect(view).toMatchObject({
			report: { ok: true },
			length: rows.length,
			hashes: [{ seq: anchor.seq, hash: anchor.hash }]
		});
		expect(await verifyAnchor(anchor, new Uint8Array(Buffer.from(view.publicKey!, 'base64')))).toBe(true);
		await expect(
			chair.sitting.chainHeads({
				sittingId,
				seqs: Array.from({ length: 501 }, (_, i) => i + 1)
			})
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
