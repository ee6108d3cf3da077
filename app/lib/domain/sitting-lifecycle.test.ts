import { describe, expect, it } from 'vitest';
import type { DomainError } from './errors';
import { formatMessage, messageFor } from './messages';
import {
	assertTransition,
	canEditAgenda,
	canTransition,
	isSittingStatus,
	nextStatus,
	SITTING_STATUSES,
	sittingStatusLabelKey,
	type SittingStatus
} from './sitting-lifecycle';

const allowed = new Set(['draft>convened', 'convened>in_progress', 'in_progress>closed']);

describe('sitting lifecycle: draft → convened → in_progress → closed, forward only', () => {
	for (const from of SITTING_STATUSES) {
		for (const to of SITTING_STATUSES) {
			const ok = allowed.has(`${from}>${to}`);
			it(`${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => {
				expect(canTransition(from, to)).toBe(ok);
				if (ok) expect(() => assertTransition(from, to)).not.toThrow();
				else
					expect(() => assertTransition(from, to)).toThrow(
						expect.objectContaining({ code: 'ILLEGAL_TRANSITION', params: { from, to } })
					);
			});
		}
	}

	it('refuses unknown statuses from the database', () => {
		expect(isSittingStatus('cancelled')).toBe(false);
		expect(() => assertTransition('draft', 'cancelled' as SittingStatus)).toThrow(
			expect.objectContaining({ code: 'ILLEGAL_TRANSITION' })
		);
	});

	it('names both statuses in Vietnamese in the error message', () => {
		try {
			assertTransition('closed', 'in_progress');
			expect.unreachable();
		} catch (e) {
			expect(messageFor(e as DomainError)).toBe(
				'Không thể chuyển kỳ họp từ trạng thái “Đã bế mạc” sang “Đang họp”.'
			);
		}
	});

	it('nextStatus drives the chair’s single next step', () => {
		expect(nextStatus('draft')).toBe('convened');
		expect(nextStatus('closed')).toBeNull();
	});

	it('the agenda is editable only before the sitting opens', () => {
		expect(SITTING_STATUSES.filter(canEditAgenda)).toEqual(['draft', 'convened']);
	});

	it('labels', () => {
		expect(SITTING_STATUSES.map((s) => formatMessage('vi', sittingStatusLabelKey(s)))).toEqual([
			'Dự thảo',
			'Đã triệu tập',
			'Đang họp',
			'Đã bế mạc'
		]);
	});
});
