import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The file store of server secrets: random values kept out of the database, each in its own file under
 * DATA_DIR/secrets. Here in db/, the lower layer, because the database's own bootstrap needs it before any app
 * module runs (the embedded PostgreSQL's passwords, the first administrator's): db/ never imports from app/. The
 * app's one secrets loader (app/lib/server/secrets.ts) builds on this store and hands it on to the rest of the app,
 * so there is still one place that reads and writes secret files.
 */

/** Where storedSecret(name) keeps its value, for messages that tell an operator where to find it. */
export function storedSecretPath(name: string): string {
	return path.resolve(process.env.DATA_DIR ?? '.data', 'secrets', name);
}

/**
 * A random value kept in DATA_DIR/secrets/<name> (folder 0700, file 0600), made on first use as `bytes` random
 * bytes in hex. Several processes may start at once: the first writer wins (`wx`) and the others read its value.
 */
export function storedSecret(name: string, bytes = 32): string {
	const file = storedSecretPath(name);
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
		try {
			writeFileSync(file, randomBytes(bytes).toString('hex'), {
				mode: 0o600,
				flag: 'wx'
			});
		} catch (err) {
			if ((err as { code?: string }).code !== 'EEXIST') throw err;
		}
	}
	return readFileSync(file, 'utf8').trim();
}
