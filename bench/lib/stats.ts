import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export function summary(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const round = (n: number) => Math.round(n * 10) / 10;
	return { count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export async function peakRssMiB(pid: number): Promise<number | null> {
	try {
		const { readFile } = await import('node:fs/promises');
		const status = await readFile(`/proc/${pid}/status`, 'utf8');
		const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
		return kb ? Math.round(kb / 1024) : null;
	} catch {
		return null;
	}
}

/**
 * Sets a process's peak resident memory (VmHWM) back to its present RSS (Linux: `clear_refs` 5), so that `peakRssMiB`
 * then tells the peak since this moment. False where the kernel refuses it.
 */
export function resetPeakRss(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

export async function machine() {
	const os = await import('node:os');
	return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/**
 * CPU seconds used so far by the app's processes (`app`), by each PostgreSQL process (`pg:<pid>`) and by this process
 * (`bench`). With `postgresDataDir`, only that server's processes (its postmaster and its children), not every
 * PostgreSQL on a shared machine.
 */
export function cpuByProcess(appPids: number[], postgresDataDir?: string): Record<string, number> {
	const ticks = 100;
	const statOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const cpuOf = (pid: string) => {
		try {
			const f = statOf(pid);
			return (Number(f[11]) + Number(f[12])) / ticks;
		} catch {
			return 0;
		}
	};
	let postmaster: string | null = null;
	try {
		if (postgresDataDir) postmaster = readFileSync(path.join(postgresDataDir, 'postmaster.pid'), 'utf8').split('\n')[0].trim();
	} catch {
		/* not running */
	}
	const usage: Record<string, number> = {};
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
			if (postgresDataDir && pid !== postmaster && statOf(pid)[1] !== postmaster) continue;
			usage[`pg:${pid}`] = cpuOf(pid);
		} catch {
			/* gone */
		}
	}
	const self = process.cpuUsage();
	const app = appPids.reduce((sum, pid) => sum + cpuOf(String(pid)), 0);
	// A process's main thread is the task whose id is the process's: its event loop, apart from its worker threads.
	const appMainThread = appPids.reduce((sum, pid) => sum + cpuOf(`${pid}/task/${pid}`), 0);
	return { ...usage, app, appMainThread, bench: (self.user + self.system) / 1e6 };
}

/**
 * CPU seconds between two snapshots, rounded: app (and its main thread alone), PostgreSQL (processes alive at the end; a backend that exited
 * in between took its seconds with it, one that started counts from zero) and this client.
 */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>) {
	const spent = (key: string) => after[key] - (before[key] ?? 0);
	const postgres = Object.keys(after)
		.filter((k) => k.startsWith('pg:'))
		.reduce((sum, k) => sum + spent(k), 0);
	const round = (v: number) => Math.round(v * 10) / 10;
	return { app: round(spent('app')), appMainThread: round(spent('appMainThread')), postgres: round(postgres), bench: round(spent('bench')) };
}
