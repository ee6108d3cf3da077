/**
 * Issue 21, the certificate time bomb: pdfsig and `openssl cms -verify` judge certificates against
 * today's date, so test certificates with fixed end dates make the signing tests fail once those
 * dates pass. This file runs the signing tests that use the fixture PKI (test-helpers.ts) with the
 * clock four years ahead of the real one and expects every one of them to pass.
 *
 * The clock is moved with libfaketime (`faketime -f +4y`, Debian package `faketime`, installed by
 * scripts/ensure-system-deps.sh): it is an LD_PRELOAD library, so the child Vitest, its workers and
 * every tool they spawn (pdfsig, openssl, certutil, qpdf) see the same shifted clock. The offset is
 * relative, so the test means "four years from whenever it runs", never a fixed date.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateToPem, createRootCa, issuePersonCertificate } from './pki.js';
import { DAY_MS, run, tmpDir, writeTmp } from './test-helpers.js';

const SHIFT_YEARS = 4;
const SHIFT_MS = SHIFT_YEARS * 365 * DAY_MS;
const FILES = ['signing/pades.test.ts', 'signing/pki.test.ts', 'signing/verify.test.ts', 'signing/pkcs12.test.ts', 'signing/key-store.test.ts'];

/** The environment without the parent Vitest's own variables, so the child starts as a fresh run. */
function childEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, FAKETIME_NO_CACHE: '1' };
	for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
	return env;
}

/** Runs `cmd args` with the clock SHIFT_YEARS ahead. */
function shifted(cmd: string, args: string[]) {
	const r = spawnSync('faketime', ['-f', `+${SHIFT_YEARS}y`, cmd, ...args], {
		encoding: 'utf8',
		env: childEnv(),
		maxBuffer: 64 * 1024 * 1024
	});
	if (r.error) throw new Error(`faketime could not be run (apt-get install -y faketime): ${r.error.message}`);
	return r;
}

interface VitestJson {
	success: boolean;
	startTime: number;
	numTotalTests: number;
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numTodoTests: number;
	testResults: { name: string; status: string; assertionResults: { fullName: string; status: string }[] }[];
}

describe(`the signing tests with the clock ${SHIFT_YEARS} years ahead`, () => {
	it('the shifted clock reaches external tools: a certificate valid for one more year is expired for openssl', () => {
		// Without this, a faketime that reached only Node (or nothing) would let the next test pass
		// while proving nothing about pdfsig and openssl.
		const ca = createRootCa({ commonName: 'CA đồng hồ', organization: 'HĐND', validYears: 10 });
		const leaf = issuePersonCertificate(ca, {
			commonName: 'Một năm',
			organization: 'HĐND',
			validFrom: new Date(Date.now() - DAY_MS),
			validTo: new Date(Date.now() + 365 * DAY_MS)
		});
		const dir = tmpDir('nts-clock-');
		const caFile = writeTmp(dir, 'ca.pem', certificateToPem(ca.certificate));
		const leafFile = writeTmp(dir, 'leaf.pem', certificateToPem(leaf.certificate));
		const today = run('openssl', ['verify', '-CAfile', caFile, leafFile]);
		expect(today.status, today.out).toBe(0);
		const later = shifted('openssl', ['verify', '-CAfile', caFile, leafFile]);
		expect(later.status, `${later.stdout}\n${later.stderr}`).not.toBe(0);
		expect(`${later.stdout}\n${later.stderr}`).toContain('certificate has expired');
	});

	it('pades, pki, verify, pkcs12 and key-store tests all pass, including pdfsig and openssl cms -verify', () => {
		const out = path.join(tmpDir('nts-clock-'), 'vitest.json');
		const startedAt = Date.now();
		const r = shifted('npx', ['vitest', 'run', '--project', 'unit', '--reporter=json', `--outputFile=${out}`, ...FILES]);
		const report = JSON.parse(fs.readFileSync(out, 'utf8')) as VitestJson;
		const failures = report.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status !== 'passed').map((a) => `${a.fullName}: ${a.status}`));
		expect(failures, r.stderr).toEqual([]);
		expect(r.status, r.stderr).toBe(0);
		// The child really ran in the future (its own clock, as Vitest recorded it).
		expect(report.startTime).toBeGreaterThanOrEqual(startedAt + SHIFT_MS - DAY_MS);
		expect(report.success).toBe(true);
		expect(report.numFailedTests).toBe(0);
		expect(report.numPendingTests).toBe(0);
		expect(report.numTodoTests).toBe(0);
		expect(report.numPassedTests).toBe(report.numTotalTests);
		expect(report.testResults.map((f) => path.relative(process.cwd(), f.name)).sort()).toEqual([...FILES].sort());
		// The checks that judge validity against the clock are among those that passed.
		const passed = new Set(report.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'passed').map((a) => a.fullName)));
		for (const name of [
			'pdfsig (poppler + NSS) reports both signatures valid and trusted, the last one covering the whole document',
			'CMS content (PAdES B-B) verifies with openssl cms -verify -cades against the council CA',
			'council CA issues certificates that OpenSSL chains to the root, with Vietnamese names intact',
			'verifyPdf on good files reports both signatures with signer, field, time, certificate and trust'
		]) {
			expect(passed.has(name), name).toBe(true);
		}
		// A whole vitest run in a child process: about a minute alone, more beside the rest of the unit suite.
	}, 240_000);
});
