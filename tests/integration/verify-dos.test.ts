import { readFileSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../app/lib/i18n';
import { loadUser } from '../../app/lib/server/auth/current-user';
import { pdfJobs } from '../../app/lib/server/pdf-jobs/pool';
import type { WorkerJobError } from '../../app/lib/server/worker-pool/pool';
import { POST as uploadRoute } from '../../app/routes/api/sittings/[sittingId]/documents/+server';
import { POST as verifyRoute } from '../../app/routes/api/verify/+server';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { db, userIdOf } from '../helpers/callers';
import { HttpClient } from '../helpers/http-client';
import { certificateFloodPdf, objectStreamBomb } from '../helpers/security/pdf-dos';
import { convenedSitting } from '../helpers/sittings';

// Issue 19, against the built app over HTTP: a PDF that makes signature verification slow must not hold the
// event loop (health keeps answering, the job ends at its time budget), and a decompression bomb uploaded as a
// document is refused before anything inflates it. The last part runs the route handlers in this process to
// show what a full worker pool answers.

/** The verification time budget of the app under test (10 s in production; shorter here to keep the test quick). */
const BUDGET_MS = 3000;
const MiB = 1024 * 1024;

let app: AppServer;
beforeAll(async () => {
	app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { PDF_JOB_TIMEOUT_MS: String(BUDGET_MS) } });
});
afterAll(async () => {
	await app?.stop();
});

async function onePagePdf(): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.addPage().drawText('To trinh', { x: 40, y: 700, size: 12 });
	return doc.save();
}

/** A field of /proc/<pid>/status in bytes (VmRSS: resident now; VmHWM: the peak since the last reset). */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!m) throw new Error(`${field} not in /proc/${pid}/status`);
	return Number(m[1]) * 1024;
}

async function documentIds(sittingId: string): Promise<string[]> {
	return (await db().selectFrom('documents').select('id').where('sitting_id', '=', sittingId).orderBy('id').execute()).map((r) => r.id);
}

describe('CPU denial of service on POST /api/verify', () => {
	it('a certificate-flood PDF does not hold the server: refused as malformed within its budget, health answers within 1 s throughout', async () => {
		// 18 signatures, each a CMS of ~500 decoy certificates named like the signer's issuer, each decoy with a key
		// that makes one RSA check cost milliseconds: seconds per signature in the verifier as it was, all of it on
		// the event loop before the fix. Each signature dictionary stays under the 1 MB the verifier parses at all.
		const { pdf, decoysPerSignature } = certificateFloodPdf(18, 480_000);
		expect(pdf.length).toBeLessThanOrEqual(20 * MiB);
		expect(decoysPerSignature).toBeGreaterThan(400);

		const started = performance.now();
		let answered = false;
		const verification = fetch(`${app.url}/api/verify`, { method: 'POST', body: new Uint8Array(pdf), headers: { 'content-type': 'application/pdf' } }).finally(() => {
			answered = true;
		});
		const healthMs: number[] = [];
		while (!answered) {
			const t = performance.now();
			const health = await fetch(`${app.url}/api/health`);
			healthMs.push(performance.now() - t);
			expect(health.status).toBe(200);
			expect(await health.json()).toEqual({ ok: true, database: 'ok' });
			// Pacing only: one probe every 50 ms is enough to see a stall of the event loop.
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const res = await verification;
		const elapsed = performance.now() - started;
		const body = await res.json();

		expect(healthMs.length).toBeGreaterThan(0);
		expect(Math.max(...healthMs)).toBeLessThan(1000);
		// The verifier bounds the certificates of one signature (signing/verify.ts), so the flood is refused
		// before any RSA work; the worker pool is the second line, for work no bound foresaw (worker-pool/pool.test.ts).
		expect(res.status).toBe(400);
		expect(body).toEqual({ error: { code: 'MALFORMED_SIGNATURE', message: translate('vi', 'MALFORMED_SIGNATURE') } });
		expect(elapsed).toBeLessThan(BUDGET_MS);

		// The worker that was stopped is replaced: an ordinary request is verified normally afterwards.
		const plain = await fetch(`${app.url}/api/verify`, { method: 'POST', body: Buffer.from(await onePagePdf()), headers: { 'content-type': 'application/pdf' } });
		expect(plain.status).toBe(200);
		const report = await plain.json();
		expect(report.signatures).toEqual([]);
		expect(report.registry).toEqual({ matches: false });
	});
});

describe('decompression bomb on document upload', () => {
	it('refuses a 1 MB PDF whose object stream inflates to 1 GB: 413 in Vietnamese, nothing stored, memory flat', async () => {
		const { sittingId } = await convenedSitting();
		const secretary = new HttpClient(app.url);
		await secretary.login('secretary.26743');
		const upload = (bytes: Uint8Array, name: string) => {
			const form = new FormData();
			form.set('file', new File([Buffer.from(bytes)], name, { type: 'application/pdf' }));
			return fetch(`${app.url}/api/sittings/${sittingId}/documents`, { method: 'POST', body: form, headers: { cookie: secretary.cookie, origin: app.url, 'sec-fetch-site': 'same-origin' } });
		};

		// An ordinary paper first: accepted, and the worker that checks uploads is running before memory is measured.
		const accepted = await upload(await onePagePdf(), 'to-trinh.pdf');
		expect(accepted.status).toBe(201);
		const before = await documentIds(sittingId);
		expect(before).toHaveLength(1);

		const bomb = await objectStreamBomb();
		expect(bomb.length).toBeLessThan(1.2 * MiB);
		const pid = app.process.pid!;
		const rssBefore = memoryOf(pid, 'VmRSS');
		// Resets the peak (VmHWM) to the current size, so the peak read after the upload is this upload's.
		writeFileSync(`/proc/${pid}/clear_refs`, '5');

		const refused = await upload(bomb, 'bom-nen.pdf');
		expect(refused.status).toBe(413);
		expect(await refused.json()).toEqual({ error: { code: 'document.inflationBomb', message: translate('vi', 'document.inflationBomb', { maxMb: 32 }) } });
		const peakGrowth = memoryOf(pid, 'VmHWM') - rssBefore;
		expect(peakGrowth).toBeLessThan(200 * MiB);

		expect(await documentIds(sittingId)).toEqual(before);
		const events = await db().selectFrom('sitting_events').select('type').where('sitting_id', '=', sittingId).where('type', '=', 'document.added').execute();
		expect(events).toHaveLength(1);
	});
});

describe('when every PDF worker is busy (route handlers in this process)', () => {
	it('verification and uploads answer 503 at once, in Vietnamese, and nothing is stored', async () => {
		const { sittingId } = await convenedSitting();
		const pool = pdfJobs();
		// Test-only jobs that occupy every worker and every place in the queue.
		const occupied = Array.from({ length: pool.size + pool.maxQueue }, () => pool.run('spin', { ms: 60_000 }).catch((err: WorkerJobError) => err.code));
		try {
			const verified = await verifyRoute({
				request: new Request('http://localhost/api/verify', { method: 'POST', body: Buffer.from(await onePagePdf()), headers: { 'content-type': 'application/pdf' } }),
				locals: { locale: 'vi' }
			} as unknown as Parameters<typeof verifyRoute>[0]);
			expect(verified.status).toBe(503);
			expect(await verified.json()).toEqual({ error: { code: 'verify.busy', message: translate('vi', 'verify.busy') } });

			const form = new FormData();
			form.set('file', new File([Buffer.from(await onePagePdf())], 'to-trinh.pdf', { type: 'application/pdf' }));
			const uploaded = await uploadRoute({
				request: new Request(`http://localhost/api/sittings/${sittingId}/documents`, { method: 'POST', body: form }),
				params: { sittingId },
				locals: { user: await loadUser(db(), await userIdOf('secretary.26743')), locale: 'vi', sessionToken: null }
			} as unknown as Parameters<typeof uploadRoute>[0]);
			expect(uploaded.status).toBe(503);
			expect(await uploaded.json()).toEqual({ error: { code: 'document.busy', message: translate('vi', 'document.busy') } });
			expect(await documentIds(sittingId)).toEqual([]);
		} finally {
			await pool.close();
		}
		expect(await Promise.all(occupied)).toEqual(Array(occupied.length).fill('CLOSED'));
	});
});
