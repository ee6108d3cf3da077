import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import type { RouterOutputs } from '$lib/api-types';
import { LiveConsultation } from './live.svelte';

type ConsultationResult = RouterOutputs['consultation']['result'];

function result(over: Partial<ConsultationResult> = {}): ConsultationResult {
	return {
		consultationId: 'k',
		councilId: 'c',
		councilName: 'Phường Bến Thành',
		title: 'Dự thảo quy chế',
		question: 'Đồng ý?',
		deadline: '2026-12-01T01:00:00.000Z',
		status: 'open',
		seated: 30,
		agree: 1,
		disagree: 0,
		comment: 0,
		answered: 1,
		notAnswered: 29,
		myAnswer: null,
		answers: [],
		...over
	};
}

describe('LiveConsultation', () => {
	it('takes newer results and announces them politely, in the reader’s language', () => {
		const live = new LiveConsultation(result(), translator('vi'));
		live.apply(result({ agree: 2, disagree: 1, answered: 3, notAnswered: 27 }));
		expect(live.result).toMatchObject({ agree: 2, disagree: 1, answered: 3 });
		expect(live.announcement).toBe('Cập nhật: 3/30 đại biểu đã cho ý kiến — đồng ý 2, không đồng ý 1, ý kiến khác 0.');
		live.apply(result({ agree: 2, disagree: 1, answered: 3, notAnswered: 27, status: 'closed' }));
		expect(live.result.status).toBe('closed');
		expect(live.announcement).toBe('Đợt lấy ý kiến đã kết thúc: 3/30 đại biểu đã cho ý kiến — đồng ý 2, không đồng ý 1, ý kiến khác 0.');

		const en = new LiveConsultation(result(), translator('en'));
		en.apply(result({ answered: 2, agree: 2 }));
		expect(en.announcement).toBe('Update: 2/30 delegates answered — agree 2, disagree 0, comment 0.');
	});

	it('ignores a stale or repeated result, but keeps the viewer’s own answer it carries', () => {
		const live = new LiveConsultation(result({ answered: 5, agree: 5 }), translator('vi'));
		live.apply(result({ answered: 4, agree: 4 }));
		live.apply(result({ answered: 5, agree: 5 }));
		expect(live.result.answered).toBe(5);
		expect(live.announcement).toBe('');
		live.apply(result({ answered: 5, agree: 5, myAnswer: 'agree' }));
		expect(live.result.myAnswer).toBe('agree');
		expect(live.announcement).toBe('');
	});
});
