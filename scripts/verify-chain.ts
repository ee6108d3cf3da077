// `npm run verify:chain -- <sittingId>`: recomputes a sitting's hash chain from the database (DATABASE_URL, or
// the embedded one) and names the first altered event. Exit code 0 = intact, 1 = altered, 2 = usage/error.
import { createDb } from '../db/client.js';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { verifySittingChain } from '../app/lib/server/sittings/verify-chain.js';

const sittingId = process.argv[2];
if (!sittingId || !/^[0-9a-f-]{36}$/i.test(sittingId)) {
	console.error('Cách dùng: npm run verify:chain -- <mã kỳ họp (UUID)>');
	process.exit(2);
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
} finally {
	await db.destroy();
	await boot.stop();
}
process.exit(code);
