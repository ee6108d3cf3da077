import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCrl } from './crl.js';
import { certificateToPem, createRootCa, issuePersonCertificate } from './pki.js';
import { DAY_MS, run, tmpDir, writeTmp } from './test-helpers.js';

const now = new Date();
const ca = createRootCa({
	commonName: 'CA HĐND phường Bến Thành (thử nghiệm)',
	organization: 'HĐND phường Bến Thành',
	validYears: 10,
	validFrom: new Date(now.getTime() - 30 * DAY_MS)
});
const url = 'http://localhost:3000/api/verify/crl/00000000-0000-4000-8000-000000000001.crl';
const person = (cn: string) =>
	issuePersonCertificate(ca, {
		commonName: cn,
		organization: 'HĐND phường Bến Thành',
		validFrom: new Date(now.getTime() - DAY_MS),
		validTo: new Date(now.getTime() + 365 * DAY_MS),
		crlUrl: url
	});
const kept = person('Nguyễn Văn Còn');
const revoked = person('Trần Thị Thu Hồi');

function files(crl: Uint8Array) {
	const dir = tmpDir('nts-crl-');
	const crlDer = writeTmp(dir, 'ca.crl', crl);
	const crlPem = writeTmp(dir, 'ca.crl.pem', run('openssl', ['crl', '-inform', 'DER', '-in', crlDer]).stdout);
	return {
		dir,
		crlDer,
		crlPem,
		ca: writeTmp(dir, 'ca.pem', certificateToPem(ca.certificate)),
		kept: writeTmp(dir, 'kept.pem', certificateToPem(kept.certificate)),
		revoked: writeTmp(dir, 'revoked.pem', certificateToPem(revoked.certificate))
	};
}

describe('council CA revocation list', () => {
	const serial = revoked.certificate.serialNumber;
	const crl = buildCrl(ca, {
		revoked: [{ serial, revokedAt: new Date(now.getTime() - 3_600_000) }],
		thisUpdate: now,
		nextUpdate: new Date(now.getTime() + 7 * DAY_MS),
		crlNumber: 5
	});

	it('is a v2 CRL that OpenSSL reads and whose signature checks against the CA', () => {
		const f = files(crl);
		const text = run('openssl', ['crl', '-inform', 'DER', '-in', f.crlDer, '-noout', '-text', '-CAfile', f.ca]);
		expect(text.status, text.out).toBe(0);
		expect(text.out).toMatch(/verify OK/);
		expect(text.stdout).toMatch(/Version 2 \(0x1\)/);
		expect(text.stdout).toMatch(/X509v3 CRL Number: \n\s+5\n/);
		expect(text.stdout).toMatch(/X509v3 Authority Key Identifier/);
		expect(text.stdout).toContain(`Serial Number: ${serial.toUpperCase().replace(/^0+/, '')}`);
		// The issuer is the CA's subject, Vietnamese text intact.
		const issuer = run('openssl', ['crl', '-inform', 'DER', '-in', f.crlDer, '-noout', '-issuer', '-nameopt', 'utf8']);
		expect(issuer.stdout).toContain('CA HĐND phường Bến Thành (thử nghiệm)');
		const next = run('openssl', ['crl', '-inform', 'DER', '-in', f.crlDer, '-noout', '-nextupdate']).stdout.replace('nextUpdate=', '').trim();
		expect(Math.abs(new Date(next).getTime() - (now.getTime() + 7 * DAY_MS))).toBeLessThan(1000);
	});

	it('makes openssl verify -crl_check refuse the revoked certificate and accept the other', () => {
		const f = files(crl);
		const ok = run('openssl', ['verify', '-crl_check', '-CAfile', f.ca, '-CRLfile', f.crlPem, f.kept]);
		expect(ok.status, ok.out).toBe(0);
		const bad = run('openssl', ['verify', '-crl_check', '-CAfile', f.ca, '-CRLfile', f.crlPem, f.revoked]);
		expect(bad.status).not.toBe(0);
		expect(bad.out).toMatch(/certificate revoked/);
	});

	it('is refused by openssl when another CA signed it', () => {
		const other = createRootCa({
			commonName: 'CA HĐND phường Bến Thành (thử nghiệm)',
			organization: 'HĐND phường Bến Thành',
			validYears: 1
		});
		const forged = buildCrl(
			{ certificate: ca.certificate, privateKey: other.privateKey },
			{
				revoked: [],
				thisUpdate: now,
				nextUpdate: new Date(now.getTime() + DAY_MS),
				crlNumber: 1
			}
		);
		const f = files(forged);
		const r = run('openssl', ['verify', '-crl_check', '-CAfile', f.ca, '-CRLfile', f.crlPem, f.kept]);
		expect(r.status).not.toBe(0);
		expect(r.out).toMatch(/CRL signature failure/);
	});

	it('puts the distribution point URL in the certificates it issues', () => {
		const x = new crypto.X509Certificate(certificateToPem(kept.certificate));
		const f = files(crl);
		const t = run('openssl', ['x509', '-in', f.kept, '-noout', '-ext', 'crlDistributionPoints']);
		expect(t.stdout).toContain(`URI:${url}`);
		expect(x.verify(crypto.createPublicKey(certificateToPem(ca.certificate)))).toBe(true);
	});
});
