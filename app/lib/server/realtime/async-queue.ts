/** A small unbounded async queue: producers push, one consumer awaits. Closing wakes the consumer. */
export class AsyncQueue<T> {
	private items: T[] = [];
	private waiting: ((done: boolean) => void) | null = null;
	private closed = false;

	push(item: T): void {
		if (this.closed) return;
		this.items.push(item);
		this.wake(false);
	}

	close(): void {
		this.closed = true;
		this.wake(true);
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Everything queued so far; waits when empty. Returns null once closed and drained. */
	async take(): Promise<T[] | null> {
		while (this.items.length === 0) {
			if (this.closed) return null;
			await new Promise<boolean>((resolve) => (this.waiting = resolve));
		}
		const batch = this.items;
		this.items = [];
		return batch;
	}

	private wake(done: boolean) {
		const w = this.waiting;
		this.waiting = null;
		w?.(done);
	}
}
