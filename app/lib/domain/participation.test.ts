import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { formatMessage } from './messages';
import { participationMessage, voteParticipation } from './participation';

describe('voteParticipation: ballots cast against the delegates present', () => {
	it('counts against those present, not the seated (30 seated, 21 present, 14 voted → 14/21)', () => {
		const p = voteParticipation(14, 21);
		expect(p).toEqual({
			voted: 14,
			present: 21,
			notVoted: 7,
			label: {
				key: 'participation.counted',
				params: { voted: 14, present: 21 }
			}
		});
		expect(formatMessage('vi', p.label.key, p.label.params)).toBe('Đã biểu quyết: 14/21 đại biểu có mặt');
		expect(formatMessage('en', p.label.key, p.label.params)).toBe('Voted: 14/21 delegates present');
	});

	it('starts at 0 and ends with nobody left', () => {
		expect(voteParticipation(0, 20)).toMatchObject({
			voted: 0,
			present: 20,
			notVoted: 20
		});
		expect(voteParticipation(20, 20)).toMatchObject({
			voted: 20,
			present: 20,
			notVoted: 0
		});
	});

	it('never shows more ballots than delegates present (a voter who left the hall afterwards still counts)', () => {
		expect(voteParticipation(15, 14)).toMatchObject({
			voted: 15,
			present: 15,
			notVoted: 0,
			label: { params: { voted: 15, present: 15 } }
		});
	});

	it('refuses counts that are not head counts', () => {
		expect(() => voteParticipation(-1, 3)).toThrow(DomainError);
		expect(() => voteParticipation(1.5, 3)).toThrow(DomainError);
		expect(() => voteParticipation(1, Number.NaN)).toThrow(DomainError);
	});

	it('gives the same label as t() arguments', () => {
		expect(participationMessage(3, 20)).toEqual(['participation.counted', { voted: 3, present: 20 }]);
		expect(formatMessage('vi', ...participationMessage(0, 21))).toBe('Đã biểu quyết: 0/21 đại biểu có mặt');
	});
});
