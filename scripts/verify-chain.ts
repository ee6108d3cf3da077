// `npm run verify:chain -- <sittingId> [--witness <file.json>]`: recomputes a sitting's hash chain from the database
// (DATABASE_URL, or the embedded one) and names the first altered event. With a witness file (signed heads kept
// outside the database: the "check the record" page downloads one), also checks that the chain still has every kept
// head: a history rewritten and re-linked inside the database passes the first check but not this one.
// Exit code 0 = intact, 1 = altered, 2 = usage/error.
import { readFileSync } from 'node:fs';
import { createDb } from '../db/client.js';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { firstContradiction, parseWitness, type WitnessFile } from '../app/lib/chain-anchors/witness.js';
import { checkWitness, verifySittingChain } from '../app/lib/server/sittings/verify-chain.js';

const USAGE = 'Cách dùng: npm run verify:chain -- <mã kỳ họp (UUID)> [--witness <tệp đầu chuỗi đã ký .json>]';
const args = process.argv.slice(2);
const sittingId = args[0];
const w = args.indexOf('--witness');
const witnessPath = w >= 0 ? args[w + 1] : undefined;
if (!sittingId || !/^[0-9a-f-]{36}$/i.test(sittingId) || (w >= 0 && !witnessPath) || args.length !== (w >= 0 ? 3 : 1)) {
	console.error(USAGE);
	process.exit(2);
}

let witness: WitnessFile | null = null;
if (witnessPath) {
	try {
		witness = parseWitness(JSON.parse(readFileSync(witnessPath, 'utf8')));
	} catch {
		witness = null;
	}
	if (!witness) {
		console.error(`Tệp ${witnessPath} không phải tệp đầu chuỗi đã ký của Nghị trường số (đọc không được hoặc sai định dạng).`);
		process.exit(2);
	}
	if (witness.sittingId !== sittingId) {
		console.error(`Tệp ${witnessPath} giữ đầu chuỗi của kỳ họp ${witness.sittingId}, không phải của kỳ họp ${sittingId}.`);
		process.exit(2);
	}
}

const boot = await bootstrapDatabase({ log: () => {}, seed: false });
const { db } = createDb(boot.databaseUrl, 2);
let code = 0;
try {
	const verdict = await verifySittingChain(db, sittingId);
	if (verdict.events === 0) {
		console.error(`Không tìm thấy sự kiện nào của kỳ họp ${sittingId}.`);
		code = 2;
	} else if (verdict.ok) {
		console.log(`Chuỗi sự kiện toàn vẹn: ${verdict.events} sự kiện, mã băm cuối ${verdict.head}.`);
	} else {
		console.log(`CHUỖI SỰ KIỆN ĐÃ BỊ SỬA ĐỔI: sự kiện đầu tiên không khớp là #${verdict.firstBadSeq} (${verdict.reason}).`);
		code = 1;
	}
	if (witness && code !== 2) {
		const checks = await checkWitness(db, sittingId, witness.anchors);
		const unsigned = checks.filter((c) => c.verdict === 'bad_signature').length;
		const bad = firstContradiction(checks);
		if (bad) {
			const now = bad.chainHash ? `nay là ${bad.chainHash}` : 'nay không còn sự kiện này';
			console.log(`LỊCH SỬ ĐÃ BỊ VIẾT LẠI: đầu chuỗi đã ký #${bad.anchor.seq} (ký lúc ${bad.anchor.signedAt}) có mã băm ${bad.anchor.hash}, ${now} trong cơ sở dữ liệu.`);
			code = 1;
		} else {
			const matched = checks.length - unsigned;
			console.log(`Khớp ${matched}/${checks.length} đầu chuỗi đã ký trong tệp ${witnessPath}.`);
		}
		if (unsigned) console.log(`${unsigned} đầu chuỗi trong tệp không có chữ ký hợp lệ của Hội đồng (không dùng để đối chiếu).`);
	}
} finally {
	await db.destroy();
	await boot.stop();
}
process.exit(code);
