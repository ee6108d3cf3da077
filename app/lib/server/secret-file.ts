import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The one loader of generated server secrets: a random value kept in DATA_DIR/secrets/<name> (folder 0700, file
 * 0600), made on first use. Out of the database on purpose, so a dump alone reveals none of them. Several
 * processes may start at once: the first writer wins (`wx`) and the others read its value.
 */
export function secretFile(name: string, bytes = 32): string {
	const file = secretFilePath(name);
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
		try {
			writeFileSync(file, randomBytes(bytes).toString('hex'), { mode: 0o600, flag: 'wx' });
		} catch (err) {
			if ((err as { code?: string }).code !== 'EEXIST') throw err;
		}
	}
	return readFileSync(file, 'utf8').trim();
}

/** Where secretFile(name) keeps its value, for messages that tell an operator where to find it. */
export function secretFilePath(name: string): string {
	return path.resolve(process.env.DATA_DIR ?? '.data', 'secrets', name);
}
