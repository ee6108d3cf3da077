import { assertCount } from './integers';

// docs/domain.md: a vote PASSES against all seated delegates (pass-rule.ts, its label says so: "Quá nửa tổng số
// đại biểu (16/30)"); while it is open, the count every screen shows (chair, hall display, phones, the city
// monitor) is PARTICIPATION: how many of the delegates present have voted. One rule, one label, so 14/21 on a ward
// screen is never 14/30 on the city's.

export type ParticipationLabel = {
	key: 'participation.counted';
	params: { voted: number; present: number };
};

export type Participation = {
	voted: number;
	/** The denominator: delegates present (in the hall or by video), never fewer than those who voted. */
	present: number;
	/** Present delegates who have not voted yet (what the chair is told before closing). */
	notVoted: number;
	/** "Đã biểu quyết: 14/21 đại biểu có mặt": translate with t(label.key, label.params). */
	label: ParticipationLabel;
};

export function voteParticipation(voted: number, present: number): Participation {
	assertCount('voted', voted);
	assertCount('present', present);
	// A cast ballot stands when its delegate leaves the hall afterwards; "15/14" would read as a counting error,
	// so the denominator is at least the ballots cast.
	const base = Math.max(present, voted);
	return {
		voted,
		present: base,
		notVoted: base - voted,
		label: { key: 'participation.counted', params: { voted, present: base } }
	};
}

/** The label as t()'s arguments, for a screen that only shows the count: t(...participationMessage(14, 21)). */
export function participationMessage(voted: number, present: number): [ParticipationLabel['key'], ParticipationLabel['params']] {
	const { key, params } = voteParticipation(voted, present).label;
	return [key, params];
}
