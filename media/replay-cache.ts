// Bounded memory of recently seen webhook ids. Stale events (older than the freshness window)
// are rejected before this is consulted, so the cache only has to span that window; the bound
// keeps a flood of distinct ids from growing memory without limit.
export class ReplayCache {
	private readonly ids = new Map<string, true>();
	constructor(private readonly capacity = 10_000) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** Remember `id`, evicting the least recently added when full. */
	add(id: string): void {
		this.ids.delete(id);
		this.ids.set(id, true);
		if (this.ids.size > this.capacity) {
			const oldest = this.ids.keys().next().value as string;
			this.ids.delete(oldest);
		}
	}

	delete(id: string): void {
		this.ids.delete(id);
	}

	get size(): number {
		return this.ids.size;
	}
}
