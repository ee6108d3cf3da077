/**
 * Benchmark of the resolution signing library: `npx tsx bench/sign.ts` (npm run bench:sign).
 *
 * Median and p95 of rendering, chair signing and verifying a 3-page resolution, against the same
 * signing done with @signpdf (placeholder-plain + signer-p12, i.e. forge's pure-JS RSA) on the
 * same PDF in the same run; then a batch of 168 resolutions (one per commune-level council),
 * each rendered, signed by the chair and sealed by the clerk. Results go to bench/results/sign.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { buildCrl } from '../signing/crl.js';
import { addDocumentTimestamp } from '../signing/doc-timestamp.js';
import { addDss, cmsCertificates, signatureContents } from '../signing/dss.js';
import { sampleResolution } from '../signing/fixtures.js';
import { signPdf } from '../signing/pades.js';
import { openKey, sealKey } from '../signing/key-store.js';
import { certificateFromDer, certificateToDer, type SigningIdentity } from '../signing/pki.js';
import { fromPkcs12, toPkcs12 } from '../signing/pkcs12.js';
import { renderResolution } from '../signing/render.js';
import { issueTsaCertificate, localTimestamper } from '../signing/tsa.js';
import { chairOptions, makePki, orgOptions } from '../signing/test-helpers.js';
import { verifyPdf } from '../signing/verify.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const WARMUP = 5;
const BATCH = 168;

interface Stats {
	iterations: number;
	medianMs: number;
	p95Ms: number;
	minMs: number;
	maxMs: number;
}

function stats(samples: number[]): Stats {
	const s = [...samples].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
	const round = (n: number) => Math.round(n * 100) / 100;
	return {
		iterations: s.length,
		medianMs: round(s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2),
		p95Ms: round(q(0.95)),
		minMs: round(s[0]),
		maxMs: round(s[s.length - 1])
	};
}

async function measure(label: string, fn: () => Promise<unknown> | unknown): Promise<Stats> {
	for (let i = 0; i < WARMUP; i++) await fn();
	const samples: number[] = [];
	for (let i = 0; i < ITERATIONS; i++) {
		const t = performance.now();
		await fn();
		samples.push(performance.now() - t);
		progress(label, i + 1, ITERATIONS);
	}
	const st = stats(samples);
	process.stderr.write(
		`\r${label.padEnd(34)} median ${st.medianMs.toFixed(2).padStart(8)} ms   p95 ${st.p95Ms.toFixed(2).padStart(8)} ms\n`
	);
	return st;
}

function progress(label: string, done: number, total: number) {
	if (!process.stderr.isTTY && done !== total && done % Math.ceil(total / 10) !== 0) return;
	const width = 30;
	const filled = Math.round((done / total) * width);
	process.stderr.write(`\r${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}

async function main() {
	const pki = makePki();
	const doc = sampleResolution();
	const pdf = await renderResolution(doc);
	const passphrase = 'Mật khẩu bench 2026';
	// 2,048 iterations for both, OpenSSL's default and what the baseline's .p12 has: this compares the signers like for
	// like. The app stores keys with KEY_STORE_ITERATIONS (600,000; ~0.3–0.6 s per unlock, in the worker pool), and
	// forge's pure-JS reader would take seconds per unlock at that count.
	const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate, ...pki.chair.chain], passphrase, { iterations: 2048 });
	const stored = { key: sealKey(pki.chair.privateKey, passphrase, 2048), certificates: [pki.chair.certificate, ...pki.chair.chain].map((c) => certificateToDer(c)) };
	// What the app does per signature (resolutions/pki.ts): the key opened natively, the certificates parsed.
	const unlockStored = (): SigningIdentity => {
		const [certificate, ...chain] = stored.certificates.map((der) => certificateFromDer(der));
		return { privateKey: openKey(stored.key, passphrase), certificate, chain };
	};
	const chairSigned = await signPdf(pdf, chairOptions(pki.chair));
	const sealed = await signPdf(chairSigned, orgOptions(pki.org));
	const check = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
	if (!check.signatures.every((s) => s.intact && s.chainTrusted)) throw new Error('self-check failed: signatures do not verify');

	process.stderr.write(`3-page resolution: ${pdf.length} bytes; ${ITERATIONS} iterations each (+${WARMUP} warm-up)\n`);
	const render = await measure('render', () => renderResolution(doc));
	const sign = await measure('sign chair (key unlocked)', () => signPdf(pdf, chairOptions(pki.chair)));
	// PAdES B-T, as the app signs: the same signature plus an RFC 3161 token from a TSA in the same process.
	const tsa = issueTsaCertificate(pki.ca, { commonName: 'TSA bench', organization: 'HĐND', validFrom: new Date(Date.now() - 86_400_000), validTo: new Date(Date.now() + 365 * 86_400_000) });
	const timestamp = localTimestamper(tsa);
	const signTimestamped = await measure('sign chair + RFC 3161 timestamp', () => signPdf(pdf, { ...chairOptions(pki.chair), timestamp }));
	// PAdES B-LT and B-LTA at the seal, as the app issues (app/lib/server/resolutions/ltv.ts): a DSS with the signers'
	// and the TSA's certificates and the CA's CRL, then a document timestamp over the whole file.
	const crl = buildCrl(pki.ca, { revoked: [], thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 7 * 86_400_000), crlNumber: 1 });
	const tsaCerts = [tsa.certificate, ...tsa.chain].map((c) => certificateToDer(c));
	const extendToLongTerm = async () => {
		const certs = [...(await signatureContents(sealed)).flatMap(cmsCertificates), ...tsaCerts];
		return addDocumentTimestamp(await addDss(sealed, { certs, crls: [crl] }), { timestamp });
	};
	const longTerm = await measure('DSS + document timestamp (seal)', extendToLongTerm);
	const issuedBytes = (await extendToLongTerm()).length;
	const signWithUnlock = await measure('sign chair (incl. key unlock)', () => signPdf(pdf, chairOptions(unlockStored())));
	const unlock = await measure('key unlock (encrypted PKCS#8)', unlockStored);
	const unlockForge = await measure('P12 import, forge (once per import)', () => fromPkcs12(p12, passphrase));
	const verify = await measure('verify (2 signatures)', () => verifyPdf(sealed, { trustedRoots: [pki.caPem] }));
	const baselineSigner = () => new P12Signer(Buffer.from(p12), { passphrase });
	const baseline = await measure('baseline @signpdf (P12, forge RSA)', async () => {
		const withPlaceholder = plainAddPlaceholder({
			pdfBuffer: Buffer.from(pdf),
			reason: 'Ký ban hành',
			contactInfo: '',
			name: 'Chủ tịch',
			location: 'Bến Thành'
		});
		return new SignPdf().sign(withPlaceholder, baselineSigner(), chairOptions(pki.chair).signingTime);
	});

	// Batch: one resolution per commune-level council, rendered, signed and sealed.
	const docs = Array.from({ length: BATCH }, (_, i) =>
		sampleResolution({
			number: `${String((i % 40) + 1).padStart(2, '0')}/2026/NQ-HĐND`,
			verification: {
				url: `https://nghitruong.hochiminhcity.gov.vn/xac-thuc/NQ-${i + 1}`,
				shortCode: `NQ-${i + 1}`
			}
		})
	);
	let renderMs = 0;
	let signMs = 0;
	const t0 = performance.now();
	for (let i = 0; i < BATCH; i++) {
		let t = performance.now();
		const rendered = await renderResolution(docs[i]);
		renderMs += performance.now() - t;
		t = performance.now();
		const c = await signPdf(rendered, chairOptions(pki.chair));
		await signPdf(c, orgOptions(pki.org));
		signMs += performance.now() - t;
		progress(`batch ${BATCH} (render+chair+seal)`, i + 1, BATCH);
	}
	const batchTotal = performance.now() - t0;
	process.stderr.write(
		`\rbatch ${BATCH} (render+chair+seal)`.padEnd(35) +
			` total ${(batchTotal / 1000).toFixed(2)} s (signing ${(signMs / 1000).toFixed(2)} s)\n`
	);

	const speedup = Math.round((baseline.medianMs / sign.medianMs) * 10) / 10;
	const speedupWithUnlock = Math.round((baseline.medianMs / signWithUnlock.medianMs) * 10) / 10;
	const cpus = os.cpus();
	const result = {
		generatedAt: new Date().toISOString(),
		document: { pages: 3, bytes: pdf.length, signedBytes: sealed.length, issuedBytes },
		iterations: ITERATIONS,
		render,
		signChair: sign,
		signChairWithTimestamp: { ...signTimestamped, note: 'the same signature with an RFC 3161 signature timestamp from an in-process TSA (PAdES B-T, as the app signs)' },
		longTermAtSeal: { ...longTerm, note: 'after the seal: a DSS (certificates of both signers and the TSA, the CA’s CRL) and a document timestamp from an in-process TSA (PAdES B-LT, B-LTA), as the app issues' },
		signChairIncludingP12Unlock: signWithUnlock,
		p12Unlock: {
			...unlock,
			note: 'the stored key opened alone: encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC, 2048 iterations) by crypto.createPrivateKey, certificates parsed; keys stored by the app use 600000 (~0.3–0.6 s per unlock, in the worker pool)'
		},
		p12UnlockForgePath: { ...unlockForge, note: "the baseline's .p12 (2048 iterations) opened with forge's pure-JS reader, as a certificate authority's file is imported (once per import)" },
		verifyTwoSignatures: verify,
		baselineSignpdf: {
			...baseline,
			packages: '@signpdf/signpdf + @signpdf/signer-p12 + @signpdf/placeholder-plain 3.3.0 (includes P12 unlock and placeholder)'
		},
		speedupVsBaseline: {
			keyUnlocked: speedup,
			includingP12Unlock: speedupWithUnlock,
			target: 10,
			// The like-for-like figure: the baseline also unlocks its P12 on every signature.
			targetAppliesTo: 'includingP12Unlock',
			met: speedupWithUnlock >= 10
		},
		batch: {
			resolutions: BATCH,
			totalMs: Math.round(batchTotal),
			renderMs: Math.round(renderMs),
			signChairAndSealMs: Math.round(signMs),
			perResolutionMs: Math.round((batchTotal / BATCH) * 10) / 10
		},
		machine: {
			platform: `${os.platform()} ${os.release()} ${os.arch()}`,
			cpuModel: cpus[0]?.model,
			cpuCount: cpus.length,
			cpuSpeedMHz: cpus[0]?.speed,
			totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
			node: process.version,
			openssl: process.versions.openssl
		}
	};
	const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'sign.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
	process.stderr.write(
		`speed-up vs @signpdf: ×${speedup} (key unlocked), ×${speedupWithUnlock} (incl. P12 unlock); target ×10 (incl. unlock) ${speedupWithUnlock >= 10 ? 'met' : 'NOT met'}\n`
	);
	console.log(out);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
