import { DomainError } from './errors';
import type { MessageKey } from './messages';

// A sitting only moves forward: once convened, delegates have been invited on a published agenda;
// once closed, its votes and minutes are the record. Going back would rewrite what people relied on.
export const SITTING_STATUSES = ['draft', 'convened', 'in_progress', 'closed'] as const;
export type SittingStatus = (typeof SITTING_STATUSES)[number];

const NEXT: Record<SittingStatus, SittingStatus | null> = {
	draft: 'convened',
	convened: 'in_progress',
	in_progress: 'closed',
	closed: null
};

export function isSittingStatus(s: unknown): s is SittingStatus {
	return typeof s === 'string' && (SITTING_STATUSES as readonly string[]).includes(s);
}

export function canTransition(from: SittingStatus, to: SittingStatus): boolean {
	return isSittingStatus(from) && isSittingStatus(to) && NEXT[from] === to;
}

export function assertTransition(from: SittingStatus, to: SittingStatus): void {
	if (!canTransition(from, to))
		throw new DomainError('ILLEGAL_TRANSITION', { from: String(from), to: String(to) });
}

/** The next status, or null once closed (drives the chair's single "next step" button). */
export function nextStatus(s: SittingStatus): SittingStatus | null {
	return NEXT[s];
}

/** The agenda is fixed once the sitting opens: items may be added only while drafting or convened. */
export function canEditAgenda(status: SittingStatus): boolean {
	return status === 'draft' || status === 'convened';
}

export function sittingStatusLabelKey(status: SittingStatus): MessageKey {
	return `sittingStatus.${status}`;
}
