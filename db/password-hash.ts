import { hash, verify } from '@node-rs/argon2';

// The stored `password_hash` format, shared by the app's logins and the seed's accounts.
// @node-rs/argon2 defaults to argon2id (OWASP's recommended variant); parameters are its defaults
// (19 MiB, 2 passes), which OWASP lists as a minimum configuration for argon2id.
export function hashPassword(password: string): Promise<string> {
	return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false; // a malformed stored hash is a failed login, not a crash
	}
}
