import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetServerKeys, MASTER_SECRET_FILE, serverKey, storedSecret, storedSecretPath } from './secrets';

const VARS = ['DATA_DIR', 'SERVER_SECRET', 'BALLOT_SECRET', 'CA_KEY_SECRET'] as const;
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
	it('derives each purpose from SERVER_SECRET with HKDF-SHA256: distinct 32-byte keys, the same for the same secret', () => {
		process.env.SERVER_SECRET = 'one secret for every instance';
		const ballot = serverKey('ballot-receipts');
		const ca = serverKey('ca-keys');
		expect(ballot.toString('hex')).toBe(hkdf('one secret for every instance', 'ballot-receipts').toString('hex'));
		expect(ca.toString('hex')).toBe(hkdf('one secret for every instance', 'ca-keys').toString('hex'));
		expect(ballot.length).toBe(32);
		expect(ballot.equals(ca)).toBe(false);
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

	it('keeps the keys of a deployment from before: BALLOT_SECRET and CA_KEY_SECRET as they were', () => {
		process.env.SERVER_SECRET = 'newer master';
		process.env.BALLOT_SECRET = 'old ballot secret';
		process.env.CA_KEY_SECRET = 'old ca secret';
		expect(serverKey('ballot-receipts').toString('hex')).toBe(Buffer.from('old ballot secret', 'utf8').toString('hex'));
		expect(serverKey('ca-keys').toString('hex')).toBe(legacyCaKey('old ca secret').toString('hex'));
		// A receipt MAC computed as votes/ballot-secret.ts did before is unchanged.
		const before = createHmac('sha256', Buffer.from('old ballot secret', 'utf8')).update('receipt\u0000v\u0000k').digest('hex');
		expect(createHmac('sha256', serverKey('ballot-receipts')).update('receipt\u0000v\u0000k').digest('hex')).toBe(before);
	});

	it('keeps the files of a deployment from before (ballot.key, ca.key) over the master secret, and writes none for a new one', () => {
		writeSecret('ballot.key', 'aa'.repeat(32));
		writeSecret('ca.key', 'bb'.repeat(32));
		process.env.SERVER_SECRET = 'newer master';
		expect(serverKey('ballot-receipts').toString('hex')).toBe(Buffer.from('aa'.repeat(32), 'utf8').toString('hex'));
		expect(serverKey('ca-keys').toString('hex')).toBe(legacyCaKey('bb'.repeat(32)).toString('hex'));

		const fresh = mkdtempSync(path.join(os.tmpdir(), 'nts-secrets-'));
		process.env.DATA_DIR = fresh;
		forgetServerKeys();
		expect(serverKey('ca-keys').toString('hex')).toBe(hkdf('newer master', 'ca-keys').toString('hex'));
		expect(() => statSync(path.join(fresh, 'secrets', 'ca.key'))).toThrow();
	});
});
