import { getDb } from './db';
import { onShutdown } from './lifecycle';
import { log } from './log';
import { closeDueVotes } from './votes/close-vote';
import { cityTick } from './notifications/runner';

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
	// The city view's stored jobs (reminders, overdue follow-up, consultation deadlines), every 5 s.
	let cityRunning = false;
	const cityTimer = setInterval(() => {
		if (cityRunning) return;
		cityRunning = true;
		cityTick(getDb())
			.catch((err) => log.warn('city jobs failed', { err }))
			.finally(() => (cityRunning = false));
	}, 5000);
	cityTimer.unref();
	onShutdown(() => clearInterval(cityTimer));
}
