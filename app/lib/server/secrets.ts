import { createHash, hkdfSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { storedSecret, storedSecretPath } from '../../../db/stored-secret.js';

/*
 * The one loader of server secrets. All of them live out of the database on purpose, so that a dump alone reveals
 * none of them (docs/security.md). Two kinds:
 *
 * - Keys the server derives for one purpose (`serverKey`): HKDF-SHA256 from one master secret, SERVER_SECRET or a
 *   generated DATA_DIR/secrets/server.key. Several instances share keys by sharing that one value.
 * - Values an operator or another program must read as they are (`storedSecret`): the first administrator's
 *   password, the embedded PostgreSQL's and LiveKit's credentials; random, each in its own file.
 *
 * Deployments from before the master secret keep their keys: the purpose's own variable (CA_KEY_SECRET) or its own
 * file (ca.key) is used as it was, since CA keys already sealed depend on it. Only a deployment that has neither
 * derives that key from the master.
 */

// The stored values live below the app, in db/stored-secret.ts: the database's bootstrap needs them before the app
// runs, and db/ does not import from app/. Handed on from here, so the app asks this one module for every secret.
export { storedSecret, storedSecretPath };

/** The file of the master secret when SERVER_SECRET is not set. */
export const MASTER_SECRET_FILE = 'server.key';

export type KeyPurpose = 'ca-keys';

/**
 * Each purpose's secret from before the master secret, and the key it gave: kept so that existing deployments
 * compute the same values from the same inputs.
 */
const LEGACY: Record<KeyPurpose, { env: string; file: string; key: (raw: string) => Buffer }> = {
	// AES-256-GCM key of the councils' CA keys and the TSA key (resolutions/secret.ts): a labelled SHA-256.
	'ca-keys': {
		env: 'CA_KEY_SECRET',
		file: 'ca.key',
		key: (raw) => createHash('sha256').update('nghi-truong-so/ca-key\u0000').update(raw, 'utf8').digest()
	}
};

const cache = new Map<KeyPurpose, Buffer>();
let master: Buffer | undefined;

/** SERVER_SECRET, or the generated DATA_DIR/secrets/server.key; read once. */
function masterSecret(): Buffer {
	return (master ??= Buffer.from(process.env.SERVER_SECRET || storedSecret(MASTER_SECRET_FILE), 'utf8'));
}

/**
 * The key of one purpose, loaded once per process: the purpose's own secret when the deployment has one (its
 * variable, else its file from before), otherwise 32 bytes of HKDF-SHA256 from the master secret, with the purpose
 * as info. Never logged.
 */
export function serverKey(purpose: KeyPurpose): Buffer {
	const hit = cache.get(purpose);
	if (hit) return hit;
	const legacy = LEGACY[purpose];
	const own = process.env[legacy.env] || (existsSync(storedSecretPath(legacy.file)) ? storedSecret(legacy.file) : '');
	const key = own ? legacy.key(own) : Buffer.from(hkdfSync('sha256', masterSecret(), Buffer.alloc(0), `nghi-truong-so/${purpose}`, 32));
	cache.set(purpose, key);
	return key;
}

/** Test only: forgets the loaded keys, so that a test can change the environment between two loads. */
export function forgetServerKeys(): void {
	cache.clear();
	master = undefined;
}
