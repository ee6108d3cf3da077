// `npm run verify:tally -- <voteId>`: recomputes a counted encrypted secret vote from its public board alone (the
// database named by DATABASE_URL, or the embedded one) with the same verifier the public page runs (noble, pure
// JavaScript): the committee's dealings and key, every ballot's proofs, the sums, every partial decryption, the
// counts — and compares the counts and the result they decide with what the server stored.
// Exit code 0 = agrees, 1 = does not, 2 = usage/error.
import { sql } from 'kysely';
import { createDb } from '../db/client.js';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { translate } from '../app/lib/i18n/index.js';
import type { PassRule } from '../app/lib/domain/pass-rule.js';
import { verifyTally } from '../app/lib/secret-ballot/verify-tally.js';
import { canonicalJson } from '../app/lib/server/domain/canonical-json.js';
import { tallyBoard } from '../app/lib/server/secret-ballot/board.js';
import { encryptedBallotsDigest } from '../app/lib/server/secret-ballot/digest.js';
import { resultFromCounts, type EncryptedBallotType, type EncryptedOptions } from '../app/lib/server/secret-ballot/vote-spec.js';

const USAGE = 'Cách dùng: npm run verify:tally -- <mã cuộc biểu quyết (UUID)>';
const args = process.argv.slice(2);
const voteId = args[0];
if (args.length !== 1 || !/^[0-9a-f-]{36}$/i.test(voteId)) {
	console.error(USAGE);
	process.exit(2);
}

const boot = await bootstrapDatabase({ log: () => {}, seed: false });
const { db } = createDb(boot.databaseUrl, 2);
let code = 0;
try {
	const board = await tallyBoard(db, voteId).catch((err: unknown) => {
		console.error(`Không đọc được bảng công khai của cuộc biểu quyết ${voteId}: ${err instanceof Error ? err.message : String(err)}`);
		return null;
	});
	if (!board) code = 2;
	else {
		const started = performance.now();
		const check = verifyTally(board);
		const ms = Math.round(performance.now() - started);
		if (!check.ok) {
			const voter = check.ballot !== undefined ? board.ballots[check.ballot]?.voterId : undefined;
			const where =
				check.ballot !== undefined
					? ` (lá phiếu thứ ${check.ballot + 1} trên bảng, của đại biểu ${voter ?? '?'}${check.ballotReason ? `; mã lỗi ${check.ballotReason}` : ''})`
					: check.member !== undefined
						? ` (thành viên Ban kiểm phiếu số ${check.member})`
						: '';
			console.log(`KẾT QUẢ KHÔNG ĐƯỢC XÁC NHẬN: ${translate('vi', `secretBallot.tally.${check.reason}`)}${where}`);
			code = 1;
		} else {
			// The counts hold; the stored result must be what those counts decide under the vote's rule.
			const setup = await db
				.selectFrom('secret_vote_setups')
				.select(['ballot_type', 'options', 'rule'])
				.where('vote_id', '=', voteId)
				.executeTakeFirstOrThrow();
			const stored = board.result as Record<string, unknown>;
			const expected = resultFromCounts(
				setup.ballot_type as EncryptedBallotType,
				setup.options as EncryptedOptions,
				check.counts,
				board.ballots.length,
				Number(stored.seated),
				Number(stored.present),
				setup.rule as PassRule
			);
			// Compared canonically: jsonb does not keep the order of an object's keys.
			const mismatch = Object.entries(expected).find(([k, v]) => canonicalJson(stored[k] ?? null) !== canonicalJson(v));
			// The ballots must be the ones the hash chain recorded at the close (a valid ballot swapped in later is not).
			const event = await db
				.selectFrom('sitting_events')
				.select('payload')
				.where('type', '=', 'vote.counting')
				.where(sql<string>`payload->>'voteId'`, '=', voteId)
				.executeTakeFirst();
			const chained = (event?.payload as { ballotsDigest?: string } | undefined)?.ballotsDigest;
			const digest = encryptedBallotsDigest(
				voteId,
				board.ballots.map((b, i) => ({
					userId: b.voterId,
					tracker: check.trackers[i]
				}))
			);
			if (chained !== digest) {
				console.log(
					`KẾT QUẢ KHÔNG ĐƯỢC XÁC NHẬN: các lá phiếu trên bảng công khai không khớp với mã băm lá phiếu ghi trong chuỗi sự kiện lúc kết thúc bỏ phiếu.`
				);
				code = 1;
			} else if (mismatch) {
				console.log(`KẾT QUẢ KHÔNG ĐƯỢC XÁC NHẬN: ${translate('vi', 'secretBallot.tally.result-mismatch')} (trường ${mismatch[0]})`);
				code = 1;
			} else {
				console.log(
					`${translate('vi', 'secretBallot.tally.ok')} ${board.ballots.length} lá phiếu, số phiếu theo phương án ${check.counts.join(' / ')}; kiểm trong ${ms} ms.`
				);
			}
		}
	}
} catch (err) {
	console.error(`Lỗi khi kiểm tra: ${err instanceof Error ? err.message : String(err)}`);
	code = 2;
} finally {
	await db.destroy();
	await boot.stop();
}
process.exit(code);
