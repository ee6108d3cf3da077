/**
 * A signer that is a remote signing service over HTTP ("hash in, signature and certificate out"), as the signing
 * services of Vietnamese certification authorities work: the key stays with the service, the server sends only
 * the digest of the signed attributes. The contract is in docs/api.md ("Remote signing service"); the reference
 * implementation the tests use is tests/helpers/remote-signer.ts.
 *
 *   GET  {url}/certificate                              → { certificate, chain? }
 *   POST {url}/sign  { hashAlgorithm: 'SHA-256', hash }  → { signature, certificate, chain? }
 *
 * `hash` is the base64 SHA-256 of the DER SET of signed attributes (the bytes RFC 5652 §5.4 signs); `signature` is
 * the base64 RSA PKCS#1 v1.5 signature for it (sha256WithRSAEncryption: the service wraps the hash in a DigestInfo).
 * The certificate is asked for first, because the signed attributes name it (signing-certificate-v2); the sign
 * answer must name the same one, and its signature must verify against it (signer.ts signChecked) — else nothing
 * is stored.
 *
 * Every request is bounded: a time limit for the whole exchange, a size limit on the answer read as it streams,
 * no redirects, and HTTPS except to the machine itself (tests, a service on the same host).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';
import { certificateFromDer } from './pki.js';
import type { Signer } from './signer.js';

export interface RemoteSignerConfig {
	/** Base URL of the service, e.g. https://ky.example.vn/v1 (no trailing slash needed). */
	url: string;
	/** Sent as `Authorization: Bearer …`: who the service signs for. */
	token: string;
	/** For the whole request, answer included (default 10 s). */
	timeoutMs?: number;
	/** Largest answer read (default 64 KiB: a signature and a few certificates are under 10 KiB). */
	maxResponseBytes?: number;
}

export const REMOTE_SIGNER_DEFAULTS = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 } as const;

/** RFC 6750 §2.1 b64token: what may follow `Bearer ` in the header. */
const BEARER = /^[A-Za-z0-9\-._~+/]+=*$/;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The service's base URL, refused unless HTTPS (or HTTP to this machine). */
export function remoteSignerUrl(raw: string): URL {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new SigningError('REMOTE_SIGNER_INVALID', 'not a URL');
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) throw new SigningError('REMOTE_SIGNER_INVALID', 'HTTPS is required');
	if (url.username || url.password) throw new SigningError('REMOTE_SIGNER_INVALID', 'credentials go in the bearer token, not the URL');
	return url;
}

function endpoint(base: URL, name: string): URL {
	const u = new URL(base);
	u.pathname = `${u.pathname.replace(/\/+$/, '')}/${name}`;
	return u;
}

/** Reads at most `max` bytes of the body, aborting the request past that. */
async function boundedBody(res: Response, max: number, abort: AbortController): Promise<Buffer> {
	const declared = Number(res.headers.get('content-length') ?? '');
	if (Number.isFinite(declared) && declared > max) {
		abort.abort();
		throw new SigningError('REMOTE_SIGNER_INVALID', `answer of ${declared} bytes`);
	}
	if (!res.body) return Buffer.alloc(0);
	const chunks: Uint8Array[] = [];
	let n = 0;
	const reader = res.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		n += value.length;
		if (n > max) {
			abort.abort();
			throw new SigningError('REMOTE_SIGNER_INVALID', `answer over ${max} bytes`);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

/** One request to the service, its JSON answer, or the refusal that says why not. */
async function call(cfg: RemoteSignerConfig, name: string, body?: unknown): Promise<Record<string, unknown>> {
	const url = endpoint(remoteSignerUrl(cfg.url), name);
	if (!BEARER.test(cfg.token)) throw new SigningError('REMOTE_SIGNER_REFUSED', 'the bearer token is not a b64token (RFC 6750 §2.1)');
	const abort = new AbortController();
	const timer = setTimeout(() => abort.abort(), cfg.timeoutMs ?? REMOTE_SIGNER_DEFAULTS.timeoutMs);
	try {
		let res: Response;
		try {
			res = await fetch(url, {
				method: body === undefined ? 'GET' : 'POST',
				headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
				redirect: 'error',
				signal: abort.signal
			});
		} catch (err) {
			throw new SigningError('REMOTE_SIGNER_UNAVAILABLE', (err as Error).message, { cause: err });
		}
		let raw: Buffer;
		try {
			raw = await boundedBody(res, cfg.maxResponseBytes ?? REMOTE_SIGNER_DEFAULTS.maxResponseBytes, abort);
		} catch (err) {
			if (err instanceof SigningError) throw err;
			throw new SigningError('REMOTE_SIGNER_UNAVAILABLE', (err as Error).message, { cause: err });
		}
		// 4xx: the service refuses (a bad token, a user it does not sign for); 5xx: it cannot now.
		if (res.status >= 400 && res.status < 500) throw new SigningError('REMOTE_SIGNER_REFUSED', `HTTP ${res.status}`);
		if (res.status !== 200) throw new SigningError('REMOTE_SIGNER_UNAVAILABLE', `HTTP ${res.status}`);
		try {
			const parsed: unknown = JSON.parse(raw.toString('utf8'));
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
		} catch {
			// answered below
		}
		throw new SigningError('REMOTE_SIGNER_INVALID', 'not a JSON object');
	} finally {
		clearTimeout(timer);
	}
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function base64Field(v: unknown, what: string): Buffer {
	if (typeof v !== 'string' || v.length === 0 || v.length % 4 !== 0 || !BASE64.test(v)) throw new SigningError('REMOTE_SIGNER_INVALID', `${what} is not base64`);
	return Buffer.from(v, 'base64');
}

function certificates(answer: Record<string, unknown>): { certificate: forge.pki.Certificate; certificateDer: Buffer; chain: forge.pki.Certificate[] } {
	const certificateDer = base64Field(answer.certificate, 'certificate');
	const chainField = answer.chain ?? [];
	if (!Array.isArray(chainField) || chainField.length > 8) throw new SigningError('REMOTE_SIGNER_INVALID', 'chain is not a list of up to 8 certificates');
	try {
		return {
			certificate: certificateFromDer(certificateDer),
			certificateDer,
			chain: chainField.map((c, i) => certificateFromDer(base64Field(c, `chain[${i}]`)))
		};
	} catch (err) {
		if (err instanceof SigningError) throw err;
		throw new SigningError('REMOTE_SIGNER_INVALID', 'a certificate is not DER X.509', { cause: err });
	}
}

/**
 * Asks the service for its certificate and returns the signer. `chain` replaces the service's own chain when the
 * operator configures it (the service's word about its issuers is not needed to sign; verifiers build the chain
 * from what the CMS carries).
 */
export async function openRemoteSigner(cfg: RemoteSignerConfig): Promise<Signer> {
	const first = certificates(await call(cfg, 'certificate'));
	return {
		kind: 'remote',
		certificate: first.certificate,
		chain: first.chain,
		async sign(toBeSigned) {
			const hash = crypto.createHash('sha256').update(toBeSigned).digest('base64');
			const answer = await call(cfg, 'sign', { hashAlgorithm: 'SHA-256', hash });
			const signature = base64Field(answer.signature, 'signature');
			if (!certificates(answer).certificateDer.equals(first.certificateDer))
				throw new SigningError('KEY_CERT_MISMATCH', 'the service signed with another certificate than it announced');
			return signature;
		}
	};
}
