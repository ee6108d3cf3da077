import { hashPassword } from '../../../../db/password-hash.js';
import { WorkSlots } from './work-slots';

// The stored hash's format is the database's (the seed makes accounts too); logins use it from there.
export { hashPassword, verifyPassword } from '../../../../db/password-hash.js';

/** A hash of nothing in particular, verified against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('dummy-password-for-timing');
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
