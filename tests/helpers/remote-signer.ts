/**
 * The reference implementation of the remote signing service contract (docs/api.md, "Remote signing service";
 * client: signing/signer-remote.ts): a small node:http server holding its own key, certified by the CA the test
 * gives it. `misbehave` makes it answer the ways a broken or hostile service would, to prove the client refuses.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { certificateToDer, issuePersonCertificate, type CertificateAuthority } from '../../signing/pki';
import { sha256DigestInfo } from '../../signing/signer';

export type Misbehaviour = 'none' | 'wrongSignature' | 'otherCertificate' | 'slow' | 'huge' | 'notJson' | 'serverError';

export interface RemoteSignerService {
	url: string;
	token: string;
	/** The certificate the service signs with (DER). */
	certificate: Uint8Array;
	/** Every request's method and path, in order, and the hashes it signed. */
	requests: { method: string; path: string }[];
	signedHashes: Buffer[];
	misbehave: Misbehaviour;
	close(): Promise<void>;
}

const MAX_REQUEST = 4096;

export async function startRemoteSigner(ca: CertificateAuthority, opts: { commonName?: string; token?: string; misbehave?: Misbehaviour } = {}): Promise<RemoteSignerService> {
	const now = Date.now();
	// From a month back: tests sign with claimed times a week old (signing/test-helpers.ts).
	const validity = { validFrom: new Date(now - 30 * 86_400_000), validTo: new Date(now + 365 * 86_400_000) };
	const identity = issuePersonCertificate(ca, { commonName: opts.commonName ?? 'Nguyễn Văn Ký Từ Xa', title: 'Chủ tịch HĐND', organization: 'HĐND phường Bến Thành', ...validity });
	// Another key certified by the same CA: what a service mixing up its users would sign with.
	const other = issuePersonCertificate(ca, { commonName: 'Người khác', organization: 'HĐND phường Bến Thành', ...validity });
	const certDer = Buffer.from(certificateToDer(identity.certificate));
	const chain = identity.chain.map((c) => Buffer.from(certificateToDer(c)).toString('base64'));
	const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
	const svc = { requests: [] as { method: string; path: string }[], signedHashes: [] as Buffer[], misbehave: opts.misbehave ?? ('none' as Misbehaviour) };

	const reply = (res: http.ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};

	const server = http.createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		svc.requests.push({ method: req.method ?? '', path });
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_REQUEST) req.destroy();
			else chunks.push(c);
		});
		req.on('end', () => {
			if (req.headers.authorization !== `Bearer ${token}`) return reply(res, 401, { error: 'unauthorized', message: 'bearer token required' });
			if (svc.misbehave === 'serverError') return reply(res, 503, { error: 'unavailable' });
			if (svc.misbehave === 'slow') return void setTimeout(() => reply(res, 503, { error: 'late' }), 30_000).unref();
			if (svc.misbehave === 'notJson') {
				res.writeHead(200, { 'content-type': 'text/html' });
				return res.end('<html>maintenance</html>');
			}
			if (svc.misbehave === 'huge') {
				// No content-length: the client must count what it reads.
				res.writeHead(200, { 'content-type': 'application/json' });
				res.write('{"signature":"');
				const block = 'A'.repeat(64 * 1024);
				let sent = 0;
				const pump = () => {
					while (sent < 64 && res.write(block)) sent++;
					if (sent < 64) res.once('drain', pump);
					else res.end('"}');
				};
				return pump();
			}
			if (req.method === 'GET' && path === '/v1/certificate') return reply(res, 200, { certificate: certDer.toString('base64'), chain });
			if (req.method !== 'POST' || path !== '/v1/sign') return reply(res, 404, { error: 'not_found' });
			let body: { hashAlgorithm?: unknown; hash?: unknown };
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
			} catch {
				return reply(res, 400, { error: 'bad_request', message: 'JSON expected' });
			}
			const hash = typeof body.hash === 'string' ? Buffer.from(body.hash, 'base64') : Buffer.alloc(0);
			if (body.hashAlgorithm !== 'SHA-256' || hash.length !== 32) return reply(res, 400, { error: 'bad_request', message: 'hashAlgorithm SHA-256 and a 32-byte hash' });
			svc.signedHashes.push(hash);
			const key = svc.misbehave === 'otherCertificate' ? other.privateKey : identity.privateKey;
			// PKCS#1 v1.5 signature of a prepared hash: the DigestInfo, padded with block type 1 (RFC 8017 §8.2.1).
			let signature = crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, sha256DigestInfo(hash));
			if (svc.misbehave === 'wrongSignature') signature = Buffer.from(signature.map((b, i) => (i === 10 ? b ^ 1 : b)));
			const cert = svc.misbehave === 'otherCertificate' ? Buffer.from(certificateToDer(other.certificate)) : certDer;
			reply(res, 200, { signature: signature.toString('base64'), certificate: cert.toString('base64'), chain });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return Object.assign(svc, {
		url: `http://127.0.0.1:${port}/v1`,
		token,
		certificate: new Uint8Array(certDer),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	});
}
