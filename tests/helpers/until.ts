import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it holds; the milliseconds it took, or an error naming what did not happen in time. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<number> {
	const started = Date.now();
	while (!(await check())) {
		if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
		await sleep(25);
	}
	return Date.now() - started;
}
