/** Thrown by WorkSlots.run when every slot is busy and the waiting line is full. */
export class SlotsFullError extends Error {
	constructor() {
		super('all work slots are busy and the waiting line is full');
	}
}

/**
 * A small semaphore: at most `limit` tasks run at once, up to `maxWaiting` more wait their turn in order, and any
 * task beyond that is refused at once (SlotsFullError) rather than queued without end, so a flood of expensive
 * work (argon2 hashes) costs bounded memory and bounded waiting time.
 */
export class WorkSlots {
	private running = 0;
	private readonly waiting: (() => void)[] = [];

	constructor(
		readonly limit: number,
		readonly maxWaiting: number
	) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	/** Tasks running and waiting, for tests and diagnostics. */
	get load(): { running: number; waiting: number } {
		return { running: this.running, waiting: this.waiting.length };
	}

	private acquire(): Promise<void> {
		if (this.running < this.limit) {
			this.running++;
			return Promise.resolve();
		}
		if (this.waiting.length >= this.maxWaiting) return Promise.reject(new SlotsFullError());
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		const next = this.waiting.shift();
		// The slot passes straight to the next in line, so `running` stays the same and nobody can jump the queue.
		if (next) next();
		else this.running--;
	}
}
