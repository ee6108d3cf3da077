/**
 * Changes after signing, judged by the verifier and by pyHanko (an independent implementation of the
 * same policy, from PyPI: `npm run pyhanko:install`). Every hostile file is written by pyHanko's own
 * incremental writer onto an issued resolution, so the files are not shaped by our reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PDFName, type PDFRef } from 'pdf-lib';
import { sampleResolution } from './fixtures.js';
import { signPdf } from './pades.js';
import { appendIncrementalUpdate } from './incremental.js';
import { readTail } from './pdf-tail.js';
import { certificateToPem, issuePersonCertificate } from './pki.js';
import { renderResolution } from './render.js';
import { revisionEndingAt } from './revisions.js';
import { chairOptions, DAY_MS, makePki, makeSignedResolution, orgOptions, run, tmpDir, writeTmp } from './test-helpers.js';
import { verifyPdf, type VerifyResult } from './verify.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');
const ORACLE = path.join(ROOT, 'tests/pdf-oracle');

interface PyHankoSignature {
	field: string;
	intact: boolean;
	valid: boolean;
	trusted: boolean;
	modification_level: string | null;
	docmdp_ok: boolean | null;
	docmdp_level: string | null;
}

/** Levels at which pyHanko accepts what happened after a signature (its FORM_FILLING policy). */
const PYHANKO_ACCEPTS = new Set(['NONE', 'LTA_UPDATES', 'FORM_FILLING']);

/** What each case must get, whatever both validators say. */
const CASES: Record<string, { modified: boolean; kind?: string }> = {
	'overlay-annotation': { modified: true, kind: 'annotation' },
	'extra-content-stream': { modified: true, kind: 'page-content' },
	'new-page': { modified: true, kind: 'pages' },
	'replaced-font': { modified: true, kind: 'font' },
	'changed-form-field': { modified: true, kind: 'form-field' },
	// Our verifier is as strict as pyHanko here: a note is not form filling, and a note can cover text.
	'sticky-note': { modified: true, kind: 'annotation' },
	'dss-only': { modified: false },
	'second-signature': { modified: false }
};

let dir: string;
let caFile: string;
let caPem: string;
let sealed: Uint8Array;

function pyhanko(file: string): PyHankoSignature[] {
	const r = run(PYTHON, [path.join(ORACLE, 'validate.py'), file, caFile]);
	expect(r.status, r.out).toBe(0);
	const parsed = JSON.parse(r.stdout) as { signatures?: PyHankoSignature[]; error?: string };
	expect(parsed.error).toBeUndefined();
	return parsed.signatures!;
}

beforeAll(async () => {
	expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
	const fx = await makeSignedResolution();
	sealed = fx.sealed;
	caPem = fx.pki.caPem;
	dir = tmpDir('nts-mdp-');
	caFile = writeTmp(dir, 'ca.pem', caPem);
	const now = Date.now();
	const third = issuePersonCertificate(fx.pki.ca, {
		commonName: 'Người ký bổ sung',
		organization: 'HĐND phường Bến Thành',
		validFrom: new Date(now - DAY_MS),
		validTo: new Date(now + 365 * DAY_MS)
	});
	const keyFile = writeTmp(dir, 'third.key', third.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
	const certFile = writeTmp(dir, 'third.pem', certificateToPem(third.certificate));
	const sealedFile = writeTmp(dir, 'sealed.pdf', sealed);
	const r = run(PYTHON, [path.join(ORACLE, 'hostile.py'), sealedFile, dir, keyFile, certFile, caFile]);
	expect(r.status, r.out).toBe(0);
}, 120_000);

describe('an issued resolution with an update appended after the seal', () => {
	it('the untouched file: certified by the chair, both signatures valid, nothing modified, by both validators', () => {
		const ours = verifyPdf(sealed, { trustedRoots: [caPem] });
		expect(ours.certification).toBe(2);
		expect(ours.modifications).toEqual([]);
		expect(ours.signatures.map((s) => s.problems)).toEqual([[], []]);
		const theirs = pyhanko(path.join(dir, 'sealed.pdf'));
		expect(theirs.map((s) => [s.field, s.intact, s.trusted, PYHANKO_ACCEPTS.has(s.modification_level ?? ''), s.docmdp_ok])).toEqual([
			['sig_chair', true, true, true, true],
			['sig_org', true, true, true, true]
		]);
		expect(theirs[0].docmdp_level).toBe('FILL_FORMS'); // the chair's signature certifies, P=2
	});

	for (const [name, expected] of Object.entries(CASES)) {
		it(`${name}: ${expected.modified ? 'modified after signing' : 'allowed'}, as pyHanko judges it`, () => {
			const file = path.join(dir, `${name}.pdf`);
			const ours: VerifyResult = verifyPdf(new Uint8Array(fs.readFileSync(file)), { trustedRoots: [caPem] });
			const theirs = pyhanko(file);
			const byField = new Map(theirs.map((s) => [s.field, s]));
			for (const sig of ours.signatures) {
				const other = byField.get(sig.fieldName ?? '');
				expect(other, `pyHanko sees ${sig.fieldName}`).toBeDefined();
				expect(sig.intact).toBe(other!.intact);
				expect(sig.chainTrusted).toBe(other!.trusted);
				const pyhankoModified = !PYHANKO_ACCEPTS.has(other!.modification_level ?? '');
				expect(sig.laterModifications.length > 0, `${sig.fieldName}: pyHanko says ${other!.modification_level}`).toBe(pyhankoModified);
				expect(other!.docmdp_ok).toBe(!expected.modified); // the certification's policy, as pyHanko enforces it
				expect(sig.problems.includes('MODIFIED_AFTER_SIGNING')).toBe(expected.modified);
			}
			expect(ours.signatures.length).toBe(theirs.length);
			if (expected.modified) {
				expect(ours.modifications).toHaveLength(1);
				expect(ours.modifications[0].revision).toBe(4); // rendered, chair, seal, then this update
				expect(ours.modifications[0].changes.map((c) => c.kind)).toContain(expected.kind);
			} else expect(ours.modifications).toEqual([]);
		});
	}
});

/**
 * The shadow attack "hide and replace": before signing, an update adds a second version of page 1's
 * content stream that no cross-reference section lists (a reader ignores it, so the signers see the
 * real text); after the seal, an update of nothing but a cross-reference entry makes it current.
 */
async function hideAndReplace() {
	const pki = makePki();
	const rendered = await renderResolution(sampleResolution());
	const original = revisionEndingAt(rendered, rendered.length);
	const page = original.dict(original.array(original.dict(original.dict(original.rootRef)?.get(PDFName.of('Pages')))?.get(PDFName.of('Kids')))?.get(0));
	const contents = original.array(page?.get(PDFName.of('Contents')))?.get(0) as PDFRef;
	const n = contents.objectNumber;
	const body = 'BT /F1 24 Tf 72 400 Td (99,9 ty dong) Tj ET';
	const hiddenAt = rendered.length;
	const hidden = `${n} 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\n`;
	const tailOf = (b: Uint8Array) => readTail(b);
	const t0 = tailOf(rendered);
	const xrefAt = hiddenAt + hidden.length;
	const withHidden = Buffer.concat([
		Buffer.from(rendered),
		Buffer.from(`${hidden}xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size ${t0.size} /Root ${original.rootRef} /Prev ${t0.startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1')
	]);
	const sealed = await signPdf(await signPdf(withHidden, chairOptions(pki.chair)), orgOptions(pki.org));
	const t1 = tailOf(sealed);
	const entry = `${String(hiddenAt).padStart(10, '0')} 00000 n\r\n`;
	const attack = `xref\n${n} 1\n${entry}trailer\n<< /Size ${t1.size} /Root ${original.rootRef} /Prev ${t1.startxref} >>\nstartxref\n${sealed.length}\n%%EOF\n`;
	return { pki, sealed, attacked: new Uint8Array(Buffer.concat([Buffer.from(sealed), Buffer.from(attack, 'latin1')])), objectNumber: n };
}

describe('npm run verify on a document modified after the seal', () => {
	it('says so on its first line and exits 1; an allowed later signature exits 0', () => {
		const cli = (file: string) => run('npx', ['tsx', path.join(ROOT, 'signing/cli/verify.ts'), path.join(dir, file), '--ca', caFile]);
		const modified = cli('overlay-annotation.pdf');
		expect(modified.stdout.split('\n')[0]).toBe(
			'KẾT LUẬN: Văn bản đã bị sửa đổi sau khi ký (phiên bản 4 của tệp): nội dung hiển thị không còn đúng như lúc ký. Không sử dụng bản này.'
		);
		expect(modified.status).toBe(1);
		const allowed = cli('second-signature.pdf');
		expect(allowed.stdout.split('\n')[0]).toBe('KẾT LUẬN: Văn bản hợp lệ: do Nguyễn Thị Ánh Hồng, Hội đồng nhân dân phường Bến Thành, Người ký bổ sung ký, chữ ký nguyên vẹn, không bị sửa đổi sau khi ký.');
		expect(allowed.status).toBe(0);
	});
});

describe('an update that only re-points the cross-reference table (hide and replace)', () => {
	it('is a change of the page content, although no object is written after the seal', async () => {
		const fx = await hideAndReplace();
		expect(verifyPdf(fx.sealed, { trustedRoots: [fx.pki.caPem] }).modifications).toEqual([]);
		const ours = verifyPdf(fx.attacked, { trustedRoots: [fx.pki.caPem] });
		expect(ours.signatures.map((s) => s.intact)).toEqual([true, true]);
		expect(ours.modifications).toEqual([{ revision: 5, changes: [{ objectNumber: fx.objectNumber, kind: 'page-content' }] }]);
		const file = writeTmp(dir, 'hide-and-replace.pdf', fx.attacked);
		const r = run(PYTHON, [path.join(ORACLE, 'validate.py'), file, writeTmp(dir, 'ca-hidden.pem', fx.pki.caPem)]);
		const theirs = (JSON.parse(r.stdout) as { signatures: PyHankoSignature[] }).signatures;
		expect(theirs.map((s) => [s.intact, s.docmdp_ok])).toEqual([
			[true, false],
			[true, false]
		]);
	});
});

describe('a document whose /Info names a page content stream', () => {
	it('still counts a change of that stream as a change of the page', async () => {
		const pki = makePki();
		const rendered = await renderResolution(sampleResolution());
		const original = revisionEndingAt(rendered, rendered.length);
		const page = original.dict(original.array(original.dict(original.dict(original.rootRef)?.get(PDFName.of('Pages')))?.get(PDFName.of('Kids')))?.get(0));
		const contents = original.array(page?.get(PDFName.of('Contents')))?.get(0) as PDFRef;
		// Before signing, the trailer's /Info is pointed at page 1's content stream (the signers sign that file).
		const prepared = appendIncrementalUpdate(rendered, readTail(rendered), [], { root: String(original.rootRef), info: String(contents) }).bytes;
		const sealed = await signPdf(await signPdf(prepared, chairOptions(pki.chair)), orgOptions(pki.org));
		const body = 'BT /F1 24 Tf 72 400 Td (99,9 ty dong) Tj ET';
		const attacked = appendIncrementalUpdate(
			sealed,
			readTail(sealed),
			[{ objectNumber: contents.objectNumber, generation: 0, body: Buffer.from(`<< /Length ${body.length} >>\nstream\n${body}\nendstream`, 'latin1') }],
			{ root: String(original.rootRef), info: String(contents) }
		).bytes;
		const ours = verifyPdf(attacked, { trustedRoots: [pki.caPem] });
		expect(ours.modifications).toEqual([{ revision: 5, changes: [{ objectNumber: contents.objectNumber, kind: 'page-content' }] }]);
	});
});
