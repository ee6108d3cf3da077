import { getDb } from './db';
import { onShutdown } from './lifecycle';
import { log } from './log';
import { closeDueVotes } from './votes/close-vote';
import { cityTick } from './notifications/runner';
import { reconcileLiveConferences } from './media/reconcile-sites';
import { pruneAuthRecords } from './auth/prune';

let started = false;

/**
 * Background work of each instance. Everything it acts on is stored (closes_at of votes), so a restart
 * loses nothing: the next tick after a restart closes what fell due meanwhile. Several instances may tick;
 * the row locks make each close happen once.
 */
export function startBackgroundJobs(): void {
	if (started || !process.env.DATABASE_URL) return;
	started = true;
	every(1000, 'closing due votes', () => closeDueVotes(getDb()));
	// The city view's stored jobs (reminders, overdue follow-up, consultation deadlines).
	every(5000, 'city jobs', () => cityTick(getDb()));
	// Each live conference's sites against LiveKit's participant list (webhooks may be late or dropped).
	every(5000, 'reconciling video sites', () => reconcileLiveConferences(getDb()));
	// Expired sessions (their live streams end with them) and failures older than a day, which no limit reads.
	every(10 * 60_000, 'pruning sessions and failures', () => pruneAuthRecords(getDb()));
}

/** Runs `job` every `ms`, never two at once, until shutdown; a failure is logged and the next tick tries again. */
function every(ms: number, name: string, job: () => Promise<unknown>): void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		job()
			.catch((err) => log.warn(`${name} failed`, { err }))
			.finally(() => (running = false));
	}, ms);
	timer.unref();
	onShutdown(() => clearInterval(timer));
}
