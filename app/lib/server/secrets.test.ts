import { createHash, hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetServerKeys, MASTER_SECRET_FILE, serverKey, storedSecret, storedSecretPath } from './secrets';

const VARS = ['DATA_DIR', 'SERVER_SECRET', 'CA_KEY_SECRET'] as const;
let saved: Record<string, string | undefined>;
let dataDir: string;

beforeEach(() => {
	saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
	for (const v of VARS) delete process.env[v];
	dataDir = mkdtempSync(path.join(os.tmpdir(), 'nts-secrets-'));
	process.env.DATA_DIR = dataDir;
	forgetServerKeys();
});

afterEach(() => {
	for (const v of VARS) {
		if (saved[v] === undefined) delete process.env[v];
		else process.env[v] = saved[v];
	}
	forgetServerKeys();
});

const hkdf = (master: string, purpose: string) =>
	Buffer.from(hkdfSync('sha256', Buffer.from(master, 'utf8'), Buffer.alloc(0), `nghi-truong-so/${purpose}`, 32));
const legacyCaKey = (raw: string) => createHash('sha256').update('nghi-truong-so/ca-key\u0000').update(raw, 'utf8').digest();

function writeSecret(name: string, value: string) {
	mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
	writeFileSync(path.join(dataDir, 'secrets', name), value);
}

describe('storedSecret', () => {
	it('makes a random value once, in a 0600 file under DATA_DIR/secrets, and reads it back after', () => {
		const first = storedSecret('admin-password', 12);
		expect(first).toMatch(/^[0-9a-f]{24}$/);
		expect(storedSecret('admin-password', 12)).toBe(first);
		const file = storedSecretPath('admin-password');
		expect(file).toBe(path.join(dataDir, 'secrets', 'admin-password'));
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
		expect(readFileSync(file, 'utf8')).toBe(first);
	});
});

describe('serverKey', () => {
	it('derives a purpose’s key from SERVER_SECRET with HKDF-SHA256: 32 bytes, the same for the same secret', () => {
		process.env.SERVER_SECRET = 'one secret for every instance';
		const ca = serverKey('ca-keys');
		expect(ca.toString('hex')).toBe(hkdf('one secret for every instance', 'ca-keys').toString('hex'));
		expect(ca.length).toBe(32);
		// Nothing written: the master came from the environment.
		expect(() => statSync(storedSecretPath(MASTER_SECRET_FILE))).toThrow();
	});

	it('without SERVER_SECRET, generates the master secret once in DATA_DIR/secrets/server.key', () => {
		const key = serverKey('ca-keys');
		const master = readFileSync(storedSecretPath(MASTER_SECRET_FILE), 'utf8');
		expect(key.toString('hex')).toBe(hkdf(master, 'ca-keys').toString('hex'));
		forgetServerKeys();
		expect(serverKey('ca-keys').toString('hex')).toBe(key.toString('hex'));
	});

	it('keeps the key of a deployment from before: CA_KEY_SECRET as it was', () => {
		process.env.SERVER_SECRET = 'newer master';
		process.env.CA_KEY_SECRET = 'old ca secret';
		expect(serverKey('ca-keys').toString('hex')).toBe(legacyCaKey('old ca secret').toString('hex'));
	});

	it('keeps the file of a deployment from before (ca.key) over the master secret, and writes none for a new one', () => {
		writeSecret('ca.key', 'bb'.repeat(32));
		process.env.SERVER_SECRET = 'newer master';
		expect(serverKey('ca-keys').toString('hex')).toBe(legacyCaKey('bb'.repeat(32)).toString('hex'));

		const fresh = mkdtempSync(path.join(os.tmpdir(), 'nts-secrets-'));
		process.env.DATA_DIR = fresh;
		forgetServerKeys();
		expect(serverKey('ca-keys').toString('hex')).toBe(hkdf('newer master', 'ca-keys').toString('hex'));
		expect(() => statSync(path.join(fresh, 'secrets', 'ca.key'))).toThrow();
	});
});
