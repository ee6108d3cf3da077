import { hash, verify } from '@node-rs/argon2';
import { WorkSlots } from './work-slots';

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

/** A hash of nothing in particular, verified against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hash('dummy-password-for-timing');
	return dummyHash;
}

// argon2 runs on libuv's thread pool (4 threads by default), which file and DNS work share: a flood of logins must
// not occupy it all, nor pile up hashes (19 MiB each) without end. Four password checks run at once per instance;
// 100 more may wait (about a second of work: a hall of delegates signing in together); beyond that a login is
// refused at once with 503 (SlotsFullError), to be tried again.
export const PASSWORD_CHECKS_AT_ONCE = 4;
export const PASSWORD_CHECKS_WAITING = 100;
const passwordChecks = new WorkSlots(PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING);

/** Runs a login's password check (with what must happen around it) in one of the few argon2 slots. */
export function inPasswordCheckSlot<T>(task: () => Promise<T>): Promise<T> {
	return passwordChecks.run(task);
}
