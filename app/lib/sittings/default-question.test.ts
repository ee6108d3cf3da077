import { describe, expect, it } from 'vitest';
import { translate } from '$lib/i18n';
import { defaultVoteQuestion } from './default-question';

const vi = (key: string, params?: Record<string, string | number>) => translate('vi', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('defaultVoteQuestion', () => {
	it('under a submission, proposes adopting the draft resolution it brings, not the submission', () => {
		expect(defaultVoteQuestion(vi, { kind: 'submission', title: 'Tờ trình về kế hoạch đầu tư công năm 2027' })).toBe('Biểu quyết thông qua dự thảo Nghị quyết về kế hoạch đầu tư công năm 2027');
		expect(defaultVoteQuestion(vi, { kind: 'submission', title: 'Tờ trình số 12/TTr-UBND về dự toán ngân sách' })).toBe('Biểu quyết thông qua dự thảo Nghị quyết về dự toán ngân sách');
		expect(defaultVoteQuestion(vi, { kind: 'submission', title: 'Tờ trình kế hoạch đầu tư công' })).toBe('Biểu quyết thông qua dự thảo Nghị quyết về kế hoạch đầu tư công');
	});

	it('keeps a submission title that does not start with "Tờ trình" whole', () => {
		expect(defaultVoteQuestion(vi, { kind: 'submission', title: 'Dự toán ngân sách phường năm 2027' })).toBe('Biểu quyết thông qua dự thảo Nghị quyết Dự toán ngân sách phường năm 2027');
	});

	it('names any other item as it is', () => {
		expect(defaultVoteQuestion(vi, { kind: 'report', title: 'Báo cáo công tác quý IV' })).toBe('Biểu quyết thông qua: Báo cáo công tác quý IV');
	});

	it('speaks English in English mode, keeping the Vietnamese subject as it was written', () => {
		expect(defaultVoteQuestion(en, { kind: 'submission', title: 'Tờ trình về kế hoạch đầu tư công năm 2027' })).toBe('Adopt the draft resolution: về kế hoạch đầu tư công năm 2027');
		expect(defaultVoteQuestion(en, { kind: 'report', title: 'Báo cáo công tác quý IV' })).toBe('Adopt: Báo cáo công tác quý IV');
	});
});
