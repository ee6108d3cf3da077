import { DomainError } from './errors';
import { assertCount, floorDiv } from './integers';

// docs/domain.md: delegates register to speak; the chair orders the queue; points of order jump the queue.
export type FloorKind = 'speech' | 'question' | 'point_of_order';

export type FloorRequest = {
	id: string;
	delegateId: string;
	kind: FloorKind;
	/** Epoch milliseconds. */
	requestedAt: number;
	/** Set by the chair (1, 2, …); null until the chair orders the queue. */
	position: number | null;
};

function compare(a: FloorRequest, b: FloorRequest): number {
	const aOrder = a.kind === 'point_of_order';
	const bOrder = b.kind === 'point_of_order';
	if (aOrder !== bOrder) return aOrder ? -1 : 1;
	// Points of order are taken strictly as raised; the chair's positions apply to the rest.
	if (!aOrder) {
		if (a.position !== null && b.position !== null && a.position !== b.position)
			return a.position - b.position;
		if ((a.position === null) !== (b.position === null)) return a.position === null ? 1 : -1;
	}
	if (a.requestedAt !== b.requestedAt) return a.requestedAt - b.requestedAt;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; // total order: the same queue on every screen
}

/** Waiting requests in speaking order: points of order, then chair-placed, then first come first served. */
export function orderQueue<T extends FloorRequest>(requests: readonly T[]): T[] {
	return [...requests].sort(compare);
}

/**
 * Moves request `id` to `newIndex` of the ordered queue (0-based, as a drag-and-drop list reports it)
 * and returns the whole queue in its new order with positions 1…n for every request that is not a
 * point of order. An index inside the points-of-order block or past the end is clamped.
 */
export function reorder<T extends FloorRequest>(
	requests: readonly T[],
	id: string,
	newIndex: number
): T[] {
	if (!Number.isInteger(newIndex))
		throw new DomainError('INVALID_NUMBER', { field: 'newIndex', value: String(newIndex) });
	const ordered = orderQueue(requests);
	const from = ordered.findIndex((r) => r.id === id);
	if (from < 0) throw new DomainError('FLOOR_REQUEST_NOT_FOUND', { id });
	if (ordered[from].kind === 'point_of_order') throw new DomainError('FLOOR_POINT_OF_ORDER_FIXED');
	const pointsOfOrder = ordered.filter((r) => r.kind === 'point_of_order');
	const rest = ordered.filter((r) => r.kind !== 'point_of_order');
	const [moved] = rest.splice(from - pointsOfOrder.length, 1);
	const at = Math.min(Math.max(newIndex - pointsOfOrder.length, 0), rest.length);
	rest.splice(at, 0, moved);
	return [...pointsOfOrder, ...rest.map((r, i) => ({ ...r, position: i + 1 }))];
}

function assertInstant(field: string, ms: number): void {
	if (!Number.isSafeInteger(ms) || ms < 0)
		throw new DomainError('INVALID_NUMBER', { field, value: String(ms) });
}

/** Whole seconds since the floor was given; 0 if the clock reads earlier (skew between machines). */
export function speakingElapsed(startedAt: number, now: number): number {
	assertInstant('startedAt', startedAt);
	assertInstant('now', now);
	return now <= startedAt ? 0 : floorDiv(now - startedAt, 1000);
}

/** Seconds left; negative once the speaker overruns (formatDuration shows "-00:07"). */
export function remaining(allottedSec: number, startedAt: number, now: number): number {
	assertCount('allottedSec', allottedSec);
	return allottedSec - speakingElapsed(startedAt, now);
}
