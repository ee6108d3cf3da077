import { getDb } from './db';
import { onShutdown } from './lifecycle';
import { log } from './log';
import { closeDueVotes } from './votes/close-vote';

let started = false;

/**
 * Background work of each instance. Everything it acts on is stored (closes_at of votes), so a restart
 * loses nothing: the next tick after a restart closes what fell due meanwhile. Several instances may tick;
 * the row locks make each close happen once.
 */
export function startBackgroundJobs(): void {
	if (started || !process.env.DATABASE_URL) return;
	started = true;
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		closeDueVotes(getDb())
			.catch((err) => log.warn('closing due votes failed', { err }))
			.finally(() => (running = false));
	}, 1000);
	timer.unref();
	onShutdown(() => clearInterval(timer));
}
