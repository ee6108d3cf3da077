import { describe, expect, it } from 'vitest';
import { changedFields, decideEdit, documentsDetachedByRemoval, editMode, startsBeforeEnd, type EditAction, type EditTarget } from './sitting-edits';
import { SITTING_STATUSES } from './sitting-lifecycle';

const NO_FACTS = { hasVote: false, isCurrent: false, hasResolution: false };
const CHANGES: [EditTarget, EditAction][] = [
	['sitting', 'edit'],
	['item', 'edit'],
	['item', 'remove'],
	['document', 'edit'],
	['document', 'remove']
];

describe('sitting edits: what may change in which state', () => {
	it('maps each status to its mode: free before the sitting opens, a correction in session, nothing once closed', () => {
		expect(Object.fromEntries(SITTING_STATUSES.map((s) => [s, editMode(s)]))).toEqual({ draft: 'free', convened: 'free', in_progress: 'correction', closed: null });
	});

	for (const status of ['draft', 'convened'] as const) {
		for (const [target, action] of CHANGES) {
			it(`${status}: ${action} ${target} is allowed without a reason`, () => {
				expect(decideEdit(status, { target, action, item: NO_FACTS })).toEqual({ ok: true, mode: 'free', reason: null });
			});
		}
		it(`${status}: a reason given is kept, trimmed`, () => {
			expect(decideEdit(status, { target: 'item', action: 'edit', reason: '  lỗi chính tả ' })).toEqual({ ok: true, mode: 'free', reason: 'lỗi chính tả' });
		});
	}

	for (const [target, action] of CHANGES) {
		it(`in_progress: ${action} ${target} needs a non-empty reason`, () => {
			expect(decideEdit('in_progress', { target, action, item: NO_FACTS })).toEqual({ ok: false, refusal: 'sitting.edit.reasonRequired' });
			expect(decideEdit('in_progress', { target, action, reason: '   ', item: NO_FACTS })).toEqual({ ok: false, refusal: 'sitting.edit.reasonRequired' });
			expect(decideEdit('in_progress', { target, action, reason: 'Sai tên tờ trình', item: NO_FACTS })).toEqual({ ok: true, mode: 'correction', reason: 'Sai tên tờ trình' });
		});
		it(`closed: ${action} ${target} is refused, even with a reason`, () => {
			expect(decideEdit('closed', { target, action, reason: 'Sai tên', item: NO_FACTS })).toEqual({ ok: false, refusal: 'sitting.edit.closed' });
		});
	}

	it('a sitting itself is never removed', () => {
		for (const status of SITTING_STATUSES) {
			const decision = decideEdit(status, { target: 'sitting', action: 'remove', reason: 'x' });
			expect(decision).toEqual({ ok: false, refusal: status === 'closed' ? 'sitting.edit.closed' : 'sitting.edit.cannotRemoveSitting' });
		}
	});

	it('in session, an item that was voted on or is on the floor cannot be removed, whatever the reason', () => {
		expect(decideEdit('in_progress', { target: 'item', action: 'remove', reason: 'trùng', item: { ...NO_FACTS, hasVote: true } })).toEqual({ ok: false, refusal: 'sitting.edit.itemHasVote' });
		expect(decideEdit('in_progress', { target: 'item', action: 'remove', reason: 'trùng', item: { ...NO_FACTS, isCurrent: true } })).toEqual({ ok: false, refusal: 'sitting.edit.itemIsCurrent' });
		// Editing the current item's title is a correction, not a removal.
		expect(decideEdit('in_progress', { target: 'item', action: 'edit', reason: 'chính tả', item: { ...NO_FACTS, isCurrent: true, hasVote: true } })).toMatchObject({ ok: true });
	});

	it('an item with a resolution cannot be removed in any open state', () => {
		for (const status of ['draft', 'convened', 'in_progress'] as const) {
			expect(decideEdit(status, { target: 'item', action: 'remove', reason: 'r', item: { ...NO_FACTS, hasResolution: true } })).toEqual({ ok: false, refusal: 'sitting.edit.itemHasResolution' });
		}
	});
});

describe('removing an item detaches its documents', () => {
	it('names exactly the documents of the removed item; others keep their item', () => {
		const docs = [
			{ id: 'd1', itemId: 'a' },
			{ id: 'd2', itemId: 'b' },
			{ id: 'd3', itemId: null },
			{ id: 'd4', itemId: 'a' }
		];
		expect(documentsDetachedByRemoval(docs, 'a')).toEqual(['d1', 'd4']);
		expect(documentsDetachedByRemoval(docs, 'z')).toEqual([]);
	});
});

describe('changedFields', () => {
	it('lists only the fields that change, with before and after', () => {
		const current = { title: 'Tờ trìnhh', presenter: null as string | null, plannedMinutes: 30 };
		expect(changedFields(current, { title: 'Tờ trình', presenter: null, plannedMinutes: undefined })).toEqual({ title: { before: 'Tờ trìnhh', after: 'Tờ trình' } });
		expect(changedFields(current, { title: 'Tờ trìnhh' })).toEqual({});
		expect(changedFields(current, { presenter: 'Ông A' })).toEqual({ presenter: { before: null, after: 'Ông A' } });
	});
	it('compares dates by instant', () => {
		const at = new Date('2026-01-01T01:00:00Z');
		expect(changedFields({ startsAt: at }, { startsAt: new Date(at.getTime()) })).toEqual({});
		expect(Object.keys(changedFields({ startsAt: at }, { startsAt: new Date(at.getTime() + 60_000) }))).toEqual(['startsAt']);
	});
});

describe('startsBeforeEnd', () => {
	it('refuses a start at or after the stored end; no end is always fine', () => {
		const end = new Date('2026-01-01T10:00:00Z');
		expect(startsBeforeEnd(new Date('2026-01-01T09:00:00Z'), end)).toBe(true);
		expect(startsBeforeEnd(end, end)).toBe(false);
		expect(startsBeforeEnd(new Date('2026-01-02T09:00:00Z'), end)).toBe(false);
		expect(startsBeforeEnd(new Date(Date.now() + 365 * 86_400_000), null)).toBe(true);
	});
});
