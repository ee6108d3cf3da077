import { changedSinceRead, onAuthChange } from '../auth/cached-sessions';
import { loadSessionUsers, loadUsers, type AuthUser } from '../auth/current-user';
import { hashToken } from '../auth/session';
import { getDb } from '../db';
import { log } from '../log';

/**
 * Live streams outlive the request that authorised them, so the authorisation is checked again whenever it may have
 * changed: on each notice that sessions, users, roles or councils changed (auth-changes.ts, from any instance),
 * every open stream of this process is checked against its session as the database now has it, in one query, and a
 * stream whose session ended (logout, deactivation, expiry pruned) or whose caller no longer passes its rule
 * (a role revoked) is ended — the streams' own end, so tRPC's client is told it ended on purpose and does not
 * reconnect into a refusal loop.
 */
interface GuardedStream {
	/** The session's token hash; null for callers without a session (scripts, in-process tests): checked by user. */
	tokenHash: string | null;
	userId: string;
	allowed: (user: AuthUser) => boolean;
	controller: AbortController;
}

const open = new Set<GuardedStream>();
let listening = false;
let checking = false;
let again = false;

/**
 * The signal a subscription's stream should end on: `signal` (the client went away, shutdown), or the caller's
 * session ending, or `allowed` no longer holding for the caller as re-read after an auth change.
 */
export function untilRevoked(
	caller: { user: AuthUser; sessionToken: string | null },
	signal: AbortSignal | undefined,
	allowed: (user: AuthUser) => boolean = () => true
): AbortSignal {
	const controller = new AbortController();
	if (signal?.aborted) {
		controller.abort(signal.reason);
		return controller.signal;
	}
	const stream: GuardedStream = { tokenHash: caller.sessionToken ? hashToken(caller.sessionToken) : null, userId: caller.user.id, allowed, controller };
	open.add(stream);
	const forward = () => controller.abort(signal?.reason);
	signal?.addEventListener('abort', forward, { once: true });
	controller.signal.addEventListener(
		'abort',
		() => {
			open.delete(stream);
			signal?.removeEventListener('abort', forward);
		},
		{ once: true }
	);
	if (!listening) {
		listening = true;
		onAuthChange(checkOpenStreams);
	}
	// The caller was read before a change this process has since heard of: the check that change caused may have run
	// before this stream existed.
	if (changedSinceRead(caller.user)) checkOpenStreams();
	return controller.signal;
}

/** How many streams are guarded (for tests and the health of the registry). */
export function guardedStreamCount(): number {
	return open.size;
}

/** Checks every open stream; a notice arriving meanwhile makes it check once more after (changes are never missed). */
export function checkOpenStreams(): void {
	if (checking) {
		again = true;
		return;
	}
	checking = true;
	void (async () => {
		try {
			do {
				again = false;
				await checkAll();
			} while (again);
		} catch (err) {
			// The streams stay (the database could not say); the next notice, or the listener's return, checks again.
			log.warn('live streams: re-checking authorisation failed', { err });
		} finally {
			checking = false;
		}
	})();
}

async function checkAll(): Promise<void> {
	const streams = [...open];
	if (streams.length === 0) return;
	const db = getDb();
	const tokenHashes = [...new Set(streams.flatMap((s) => (s.tokenHash ? [s.tokenHash] : [])))];
	const userIds = [...new Set(streams.flatMap((s) => (s.tokenHash ? [] : [s.userId])))];
	const [bySession, byId] = await Promise.all([loadSessionUsers(db, tokenHashes), loadUsers(db, userIds)]);
	for (const s of streams) {
		const user = s.tokenHash ? bySession.get(s.tokenHash) : byId.get(s.userId);
		if (!user || !s.allowed(user)) s.controller.abort(new Error('authorisation ended'));
	}
}
