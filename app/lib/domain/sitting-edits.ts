import type { SittingStatus } from './sitting-lifecycle';

// What may change in a sitting, and when. Before it opens (draft, convened) its title, time, venue, agenda and
// documents are still being prepared: edit and remove freely. Once in session, delegates and the hall display
// have seen them and the record is being made: only a correction, with its reason in the event record, and never
// the removal of an item that was voted on or is on the floor now. Once closed, the record is what happened:
// nothing changes.

export type EditTarget = 'sitting' | 'item' | 'document';
export type EditAction = 'edit' | 'remove';
/** `free` before the sitting opens; `correction` while it is in session (a reason is required). */
export type EditMode = 'free' | 'correction';

/** Message keys of the refusals (app/lib/i18n/messages/sittings.ts). */
export type EditRefusal =
	| 'sitting.edit.closed'
	| 'sitting.edit.reasonRequired'
	| 'sitting.edit.itemHasVote'
	| 'sitting.edit.itemIsCurrent'
	| 'sitting.edit.itemHasResolution'
	| 'sitting.edit.cannotRemoveSitting';

/** What the store knows about an agenda item that is to be removed. */
export interface ItemFacts {
	/** A vote was held (or is open) on it: its result refers to the item. */
	hasVote: boolean;
	/** The chair has it on the floor now. */
	isCurrent: boolean;
	/** A resolution (even a draft) was made for it. */
	hasResolution: boolean;
}

export interface EditRequest {
	target: EditTarget;
	action: EditAction;
	reason?: string | null;
	/** Needed to remove an item. */
	item?: ItemFacts;
}

export type EditDecision = { ok: true; mode: EditMode; reason: string | null } | { ok: false; refusal: EditRefusal };

/** The edit mode of a sitting status, or null when nothing may change any more. */
export function editMode(status: SittingStatus): EditMode | null {
	if (status === 'draft' || status === 'convened') return 'free';
	if (status === 'in_progress') return 'correction';
	return null;
}

/** Decides one change. Pure: the service gathers the facts under the sitting's lock and records the decision. */
export function decideEdit(status: SittingStatus, request: EditRequest): EditDecision {
	const mode = editMode(status);
	if (!mode) return { ok: false, refusal: 'sitting.edit.closed' };
	// A sitting is never deleted: its number and its event record stay, whatever was typed wrong.
	if (request.target === 'sitting' && request.action === 'remove') return { ok: false, refusal: 'sitting.edit.cannotRemoveSitting' };
	if (request.target === 'item' && request.action === 'remove') {
		const item = request.item ?? { hasVote: false, isCurrent: false, hasResolution: false };
		// A vote's result and a resolution name the item: removing it would leave them pointing at nothing.
		if (item.hasVote) return { ok: false, refusal: 'sitting.edit.itemHasVote' };
		if (item.hasResolution) return { ok: false, refusal: 'sitting.edit.itemHasResolution' };
		if (item.isCurrent) return { ok: false, refusal: 'sitting.edit.itemIsCurrent' };
	}
	const reason = request.reason?.trim() || null;
	if (mode === 'correction' && !reason) return { ok: false, refusal: 'sitting.edit.reasonRequired' };
	return { ok: true, mode, reason };
}

/**
 * What removing an agenda item does to its documents: they stay with the sitting, no longer tied to an item.
 * A paper was published to the delegates on its own; it goes only when someone removes it (with its own event).
 */
export function documentsDetachedByRemoval<D extends { id: string; itemId: string | null }>(documents: readonly D[], removedItemId: string): string[] {
	return documents.filter((d) => d.itemId === removedItemId).map((d) => d.id);
}

/** One changed field, as the event record carries it. */
export interface FieldChange<V> {
	before: V;
	after: V;
}

/**
 * The fields of `next` that differ from `current` (fields `next` leaves undefined are not changing). An empty
 * result means there is nothing to record.
 */
export function changedFields<T extends Record<string, unknown>>(current: T, next: Partial<T>): { [K in keyof T]?: FieldChange<T[K]> } {
	const changes: { [K in keyof T]?: FieldChange<T[K]> } = {};
	for (const key of Object.keys(next) as (keyof T)[]) {
		const after = next[key];
		if (after === undefined) continue;
		if (!sameValue(current[key], after)) changes[key] = { before: current[key], after: after as T[keyof T] };
	}
	return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
	return a === b;
}

/** A sitting cannot end before it starts: a moved start is checked against the stored end. */
export function startsBeforeEnd(startsAt: Date, endsAt: Date | null): boolean {
	return endsAt === null || startsAt.getTime() < endsAt.getTime();
}
