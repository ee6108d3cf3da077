import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { LiveSitting } from './live.svelte';
import type { SittingPageData } from './types';

const ITEM_A = '00000000-0000-4000-8000-00000000000a';
const ITEM_B = '00000000-0000-4000-8000-00000000000b';
const ME = '00000000-0000-4000-8000-000000000001';

function data(): SittingPageData {
	return {
		userId: ME,
		roles: ['delegate'],
		cityRoles: [],
		openVote: null,
		snapshot: { sittingId: 's', councilId: 'c', status: 'convened', seated: 30, present: 19, required: 20, quorumMet: false, currentItemId: null, floor: { speaker: null, queue: [] }, openVote: null, lastEventId: 5 },
		detail: {
			id: 's',
			councilId: 'c',
			councilName: 'Phường Bến Thành',
			councilCode: '26743',
			termLabel: 'I',
			kind: 'regular',
			number: 1,
			title: 'Kỳ họp',
			startsAt: '2026-12-01T01:00:00.000Z',
			endsAt: null,
			venue: null,
			hybrid: false,
			status: 'convened',
			currentItemId: null,
			chainHead: '',
			agenda: [{ id: ITEM_A, position: 1, kind: 'report', title: 'Báo cáo', presenter: null, plannedMinutes: null }],
			documents: [],
			attendance: [{ userId: ME, fullName: 'Đại biểu 1', username: 'delegate.26743.1', status: null, reason: null }],
			votes: []
		}
	} as SittingPageData;
}

describe('LiveSitting', () => {
	it('patches its state from events, once each, in order', () => {
		const live = new LiveSitting(data(), translator('vi'));
		live.apply({ seq: 5, type: 'sitting.status', payload: { status: 'closed' }, createdAt: '' }); // already in the snapshot
		expect(live.status).toBe('convened');
		live.apply({ seq: 6, type: 'attendance.changed', payload: { userId: ME, status: 'present_hall', reason: null, present: 20, seated: 30, required: 20, quorumMet: true }, createdAt: '' });
		expect(live.snapshot).toMatchObject({ present: 20, quorumMet: true });
		expect(live.amCheckedIn).toBe(true);
		expect(live.announcement).toContain('Đủ số đại biểu tham dự (20/30');
		live.apply({ seq: 7, type: 'agenda.itemAdded', payload: { itemId: ITEM_B, position: 2, kind: 'submission', title: 'Tờ trình', presenter: null, plannedMinutes: null }, createdAt: '' });
		live.apply({ seq: 8, type: 'agenda.reordered', payload: { itemIds: [ITEM_B, ITEM_A] }, createdAt: '' });
		expect(live.agenda.map((a) => [a.position, a.title])).toEqual([[1, 'Tờ trình'], [2, 'Báo cáo']]);
		live.apply({ seq: 9, type: 'sitting.status', payload: { status: 'in_progress' }, createdAt: '' });
		live.apply({ seq: 10, type: 'sitting.currentItem', payload: { itemId: ITEM_B, title: 'Tờ trình', kind: 'submission', position: 1 }, createdAt: '' });
		expect(live.currentItem?.title).toBe('Tờ trình');
	});

	it('follows a vote from opening to its result with the rule', () => {
		const live = new LiveSitting(data(), translator('vi'));
		live.apply({
			seq: 6,
			type: 'vote.opened',
			payload: { voteId: 'v', itemId: ITEM_A, question: 'Thông qua', kind: 'open', ballotType: 'yes_no_abstain', options: null, rule: { kind: 'majority' }, ruleLabel: { key: 'passRule.majority.counted', params: { required: 16, seated: 30 } }, closesAt: null, seated: 30, present: 20, voted: 0 },
			createdAt: ''
		});
		expect(live.openVote).toMatchObject({ voteId: 'v', voted: 0, present: 20, iHaveVoted: false });
		live.apply({ seq: 7, type: 'vote.ballot', payload: { voteId: 'v', voted: 1, present: 20 }, createdAt: '' });
		live.markVoted('v');
		expect(live.openVote).toMatchObject({ voted: 1, iHaveVoted: true });
		live.apply({ seq: 8, type: 'vote.closed', payload: { voteId: 'v', result: { passed: false, yes: 1, ruleLabel: { key: 'passRule.majority.counted', params: { required: 16, seated: 30 } } } }, createdAt: '' });
		expect(live.openVote).toBeNull();
		expect(live.lastResult).toMatchObject({ voteId: 'v', status: 'closed', passed: false, yes: 1 });
		expect(live.announcement).toBe('Kết thúc biểu quyết: Không thông qua');
	});

	it('stops an encrypted vote\'s casting at its close, before the committee\'s count', () => {
		const live = new LiveSitting(data(), translator('vi'));
		const encrypted = { publicKey: 'ab'.repeat(32), threshold: 2, members: 3 };
		live.apply({
			seq: 6,
			type: 'vote.opened',
			payload: { voteId: 'v', itemId: ITEM_A, question: 'Bỏ phiếu kín', kind: 'secret', ballotType: 'yes_no_abstain', options: null, rule: null, closesAt: null, seated: 30, present: 20, voted: 0, encrypted },
			createdAt: ''
		});
		expect(live.openVote).toMatchObject({ voteId: 'v', encrypted });
		expect(live.openVote?.counting).toBeUndefined();
		live.apply({ seq: 7, type: 'vote.counting', payload: { voteId: 'v', voted: 12, seated: 30, present: 20 }, createdAt: '' });
		expect(live.openVote).toMatchObject({ voteId: 'v', counting: true, voted: 12 });
	});

	it('holds the result in the vote card\'s place from the close until another vote or another item', () => {
		const live = new LiveSitting(data(), translator('vi'));
		const open = (seq: number, voteId: string) =>
			live.apply({ seq, type: 'vote.opened', payload: { voteId, itemId: ITEM_A, question: `Câu hỏi ${voteId}`, kind: 'open', ballotType: 'yes_no_abstain', options: null, rule: null, closesAt: null, seated: 30, present: 20, voted: 0 }, createdAt: '' });
		live.apply({ seq: 6, type: 'sitting.currentItem', payload: { itemId: ITEM_A, title: 'Báo cáo' }, createdAt: '' });
		expect(live.resultHeld).toBe(false);
		open(7, 'v1');
		live.apply({ seq: 8, type: 'vote.closed', payload: { voteId: 'v1', result: { passed: true, yes: 20 } }, createdAt: '' });
		expect(live.resultHeld).toBe(true);
		// The summary on the stream has no item: the screen keeps the one it knew from the open vote.
		expect(live.lastResult).toMatchObject({ voteId: 'v1', itemId: ITEM_A, question: 'Câu hỏi v1' });
		live.apply({ seq: 9, type: 'sitting.currentItem', payload: { itemId: ITEM_A, title: 'Báo cáo' }, createdAt: '' }); // same item: still held
		expect(live.resultHeld).toBe(true);
		open(10, 'v2');
		expect(live.resultHeld).toBe(false);
		live.apply({ seq: 11, type: 'vote.voided', payload: { voteId: 'v2', reason: 'Nhầm' }, createdAt: '' });
		expect(live.resultHeld).toBe(true);
		expect(live.lastResult).toMatchObject({ voteId: 'v2', status: 'void', question: 'Câu hỏi v2' });
		live.apply({ seq: 12, type: 'sitting.currentItem', payload: { itemId: ITEM_B, title: 'Tờ trình' }, createdAt: '' });
		expect(live.resultHeld).toBe(false);
		expect(live.lastResult?.voteId).toBe('v2'); // still the latest result, shown lower down
	});

	it('after a reload, holds the last result only while the sitting is still on its item', () => {
		const closed = { voteId: 'v1', itemId: ITEM_A, question: 'Thông qua', kind: 'open', ballotType: 'yes_no_abstain', status: 'closed', voted: 20, openedAt: '', closedAt: '', rule: null, options: null, result: { passed: true, yes: 20 } };
		const onItem = data();
		onItem.detail.currentItemId = ITEM_A;
		onItem.detail.votes = [closed] as SittingPageData['detail']['votes'];
		expect(new LiveSitting(onItem, translator('vi')).resultHeld).toBe(true);
		const movedOn = data();
		movedOn.detail.currentItemId = ITEM_B;
		movedOn.detail.votes = [closed] as SittingPageData['detail']['votes'];
		expect(new LiveSitting(movedOn, translator('vi')).resultHeld).toBe(false);
	});

	it('follows edits and removals of the sitting, its items and its documents (issue 23)', () => {
		const base = data();
		base.detail.agenda.push({ id: ITEM_B, position: 2, kind: 'submission', title: 'Tờ trìnhh', presenter: null, plannedMinutes: null });
		base.detail.documents = [
			{ id: 'd1', itemId: ITEM_A, title: 'Báo cáo (PDF)', filename: 'bc.pdf', sizeBytes: 1, sha256: '', uploadedAt: '' },
			{ id: 'd2', itemId: ITEM_B, title: 'To trinh', filename: 'tt.pdf', sizeBytes: 1, sha256: '', uploadedAt: '' }
		];
		const live = new LiveSitting(base, translator('vi'));
		const edit = (seq: number, type: string, payload: Record<string, unknown>) => live.apply({ seq, type, payload, createdAt: '' });
		edit(6, 'sitting.updated', { changes: { title: { before: 'Kỳ họp', after: 'Kỳ họp thứ nhất' }, venue: { before: null, after: 'Hội trường A' } }, correction: false, reason: null });
		expect([live.detail.title, live.detail.venue, live.detail.startsAt]).toEqual(['Kỳ họp thứ nhất', 'Hội trường A', '2026-12-01T01:00:00.000Z']);
		edit(7, 'agenda.itemUpdated', { itemId: ITEM_B, changes: { title: { before: 'Tờ trìnhh', after: 'Tờ trình' }, plannedMinutes: { before: null, after: 30 } } });
		expect(live.agenda[1]).toMatchObject({ title: 'Tờ trình', plannedMinutes: 30, presenter: null });
		expect(live.announcement).toBe('Tên nội dung đã được sửa: Tờ trình');
		edit(8, 'document.updated', { documentId: 'd2', changes: { title: { before: 'To trinh', after: 'Tờ trình (PDF)' }, itemId: { before: ITEM_B, after: null } } });
		expect(live.detail.documents[1]).toMatchObject({ title: 'Tờ trình (PDF)', itemId: null });
		edit(9, 'agenda.itemRemoved', { itemId: ITEM_A, itemIds: [ITEM_B], detachedDocumentIds: ['d1'] });
		expect(live.agenda.map((a) => [a.id, a.position])).toEqual([[ITEM_B, 1]]);
		expect(live.detail.documents[0].itemId).toBeNull();
		edit(10, 'document.removed', { documentId: 'd1' });
		expect(live.detail.documents.map((d) => d.id)).toEqual(['d2']);
	});
});
