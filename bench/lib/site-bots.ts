// The parent side of bench:conference's site participants: spreads the sites over worker processes
// (site-bots-main.ts) and collects what each reports.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CameraOptions } from '../../media/testing/participant-bot';
import type { FromWorker, ToWorker } from './site-bots-main';

export interface SiteJoin {
	code: string;
	connectedAt: number;
	joinMs: number;
	publishMs: number;
}

export class SiteBotFleet {
	readonly joined = new Map<string, SiteJoin>();
	readonly failed: { code: string; error: string }[] = [];
	private readonly workers: ChildProcess[] = [];

	/**
	 * `niceness`: the scheduling priority the site processes run at (`nice`, every thread of theirs). They stand for
	 * 166 ward machines elsewhere; run at a lower priority here they still do all their work, on the CPU that the
	 * server, the app and the browsers being measured leave them, instead of taking it from them.
	 */
	constructor(processes: number, niceness = 0) {
		for (let i = 0; i < processes; i++) {
			// stdout ignored: the native library logs each connection there.
			const worker = spawn('nice', ['-n', String(niceness), process.execPath, '--import', 'tsx', path.join(import.meta.dirname, 'site-bots-main.ts')], {
				stdio: ['ignore', 'ignore', 'inherit', 'ipc']
			});
			worker.on('message', (message: FromWorker) => this.receive(message));
			this.workers.push(worker);
		}
	}

	/** Every site joins (each worker `concurrency` at a time); resolves when each has joined or failed. */
	async join(sites: { code: string; url: string; token: string }[], camera: CameraOptions, concurrency: number): Promise<void> {
		const shares = this.workers.map(() => [] as typeof sites);
		sites.forEach((site, i) => shares[i % shares.length].push(site));
		this.workers.forEach((worker, i) => {
			this.send(worker, { type: 'join', sites: shares[i], camera, concurrency });
		});
		while (this.joined.size + this.failed.length < sites.length) await new Promise((r) => setTimeout(r, 50));
	}

	async close(): Promise<void> {
		await Promise.all(
			this.workers.map(
				(worker) =>
					new Promise<void>((resolve) => {
						if (worker.exitCode !== null) return resolve();
						worker.once('exit', () => resolve());
						this.send(worker, { type: 'leave' });
						setTimeout(() => worker.kill('SIGKILL'), 10_000).unref();
					})
			)
		);
	}

	private send(worker: ChildProcess, message: ToWorker): void {
		worker.send(message);
	}

	private receive(message: FromWorker): void {
		if (message.type === 'joined') this.joined.set(message.code, message);
		else if (message.type === 'failed') this.failed.push({ code: message.code, error: message.error });
	}
}
