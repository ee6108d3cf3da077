/**
 * `npm run verify -- file.pdf [--ca root.pem ...] [--json]`
 *
 * Prints a Vietnamese verdict, then a report per signature. Exit codes: 0 = every signature intact and
 * nothing changed after signing but what the policy allows (a later signature, validation data),
 * 1 = a signature is not intact, the document was modified after signing, or there is no signature,
 * 2 = the file could not be checked.
 */
import fs from 'node:fs';
import { isSigningError } from '../errors.js';
import { messages, modificationKindMessages, problemMessages, verdictMessages } from '../messages.js';
import { documentVerdict } from '../verdict.js';
import { vnDateTime } from '../vn-time.js';
import { verifyPdf } from '../verify.js';

function usage(): never {
	console.error('Cách dùng: npm run verify -- tep.pdf [--ca goc.pem ...] [--json]');
	process.exit(2);
}

const args = process.argv.slice(2);
const cas: string[] = [];
let file: string | undefined;
let json = false;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--ca') cas.push(args[++i] ?? usage());
	else if (args[i] === '--json') json = true;
	else if (args[i] === '--help' || args[i] === '-h') usage();
	else if (!file) file = args[i];
	else usage();
}
if (!file) usage();

try {
	const bytes = new Uint8Array(fs.readFileSync(file));
	const roots = cas.map((p) => fs.readFileSync(p, 'utf8'));
	const result = verifyPdf(bytes, { trustedRoots: roots });
	if (json) {
		console.log(JSON.stringify(result, null, 2));
	} else {
		const verdict = documentVerdict(result, { trustChecked: cas.length > 0 });
		const line = verdictMessages.vi[verdict.code].replace('{signers}', verdict.signers.join(', ')).replace('{revision}', String(verdict.revision));
		console.log(`KẾT LUẬN: ${line}`);
		console.log(`Tệp: ${file}`);
		console.log(`SHA-256: ${result.sha256}`);
		for (const m of result.modifications) {
			const what = m.changes.map((c) => `${modificationKindMessages.vi[c.kind]} (đối tượng ${c.objectNumber})`).join('; ');
			console.log(`SỬA ĐỔI SAU KHI KÝ: phiên bản ${m.revision} của tệp thay đổi ${what}.`);
		}
		result.signatures.forEach((s, i) => {
			console.log('');
			console.log(`Chữ ký số ${i + 1}${s.fieldName ? ` (ô ${s.fieldName})` : ''}`);
			console.log(`  Người ký:        ${s.signerName || '(không rõ)'}`);
			if (s.certificate) {
				console.log(`  Chứng thư:       ${s.certificate.subject}`);
				console.log(`  Cấp bởi:         ${s.certificate.issuer}`);
				console.log(`  Số hiệu:         ${s.certificate.serial}`);
				console.log(`  Hiệu lực:        ${vnDateTime(s.certificate.notBefore)} đến ${vnDateTime(s.certificate.notAfter)}`);
			}
			if (s.timestamp?.trusted) {
				// PAdES B-T: the time comes from the timestamp authority, not from the signer.
				console.log(`  Thời điểm ký (dấu thời gian tin cậy): ${vnDateTime(s.timestamp.time)}`);
				if (s.claimedTime) console.log(`  Người ký tự ghi: ${vnDateTime(s.claimedTime)}`);
			} else {
				console.log(`  Thời điểm ký:    ${s.signingTime ? vnDateTime(s.signingTime) : '(không ghi)'}`);
				if (s.timestamp)
					console.log(`  Dấu thời gian:   ${vnDateTime(s.timestamp.time)} (${cas.length ? 'KHÔNG tin cậy' : 'chưa kiểm tra tin cậy (thêm --ca goc.pem)'})`);
			}
			console.log(
				`  Toàn vẹn:        ${s.intact ? 'CÓ - nội dung được ký không bị thay đổi' : 'KHÔNG - nội dung đã bị thay đổi hoặc chữ ký sai'}`
			);
			console.log(
				`  Phạm vi ký:      ${s.coversWholeDocument ? 'toàn bộ tệp' : 'một phiên bản trước (tệp có cập nhật sau khi ký, ví dụ chữ ký tiếp theo)'}`
			);
			console.log(
				`  Sửa đổi sau ký:  ${s.laterModifications.length ? 'CÓ - nội dung hiển thị đã bị thay đổi sau chữ ký này' : 'KHÔNG (chỉ chữ ký tiếp theo hoặc dữ liệu kiểm tra, nếu có)'}`
			);
			console.log(
				`  Tin cậy:         ${s.chainTrusted ? 'CÓ - chứng thư do tổ chức chứng thực tin cậy cấp' : cas.length ? 'KHÔNG' : 'chưa kiểm tra (thêm --ca goc.pem)'}`
			);
			for (const p of s.problems) {
				if ((p === 'CHAIN_UNTRUSTED' || p === 'TIMESTAMP_UNTRUSTED') && cas.length === 0) continue;
				console.log(`  ! ${problemMessages.vi[p]}`);
			}
		});
		// PAdES B-LTA: the TSA vouches for the whole file as it was then; it is nobody's signature.
		for (const t of result.documentTimestamps) {
			console.log('');
			console.log(`Dấu thời gian của văn bản${t.fieldName ? ` (ô ${t.fieldName})` : ''}`);
			console.log(`  Thời điểm:       ${t.time ? vnDateTime(t.time) : '(không đọc được)'}`);
			console.log(`  Hợp lệ:          ${t.intact ? 'CÓ - khớp với nội dung tệp đến thời điểm đó' : 'KHÔNG'}`);
			console.log(`  Tin cậy:         ${t.trusted ? 'CÓ - do máy chủ cấp dấu thời gian tin cậy cấp' : cas.length ? 'KHÔNG' : 'chưa kiểm tra (thêm --ca goc.pem)'}`);
			for (const p of t.problems) {
				if (p === 'DOC_TIMESTAMP_UNTRUSTED' && cas.length === 0) continue;
				console.log(`  ! ${problemMessages.vi[p]}`);
			}
		}
	}
	const ok = result.signatures.length > 0 && result.signatures.every((s) => s.intact) && result.modifications.length === 0;
	process.exit(ok ? 0 : 1);
} catch (e) {
	if (isSigningError(e)) {
		console.error(`Lỗi: ${messages.vi[e.code]} (${e.message})`);
	} else {
		console.error(`Lỗi: không đọc được tệp: ${e instanceof Error ? e.message : String(e)}`);
	}
	process.exit(2);
}
