import { voteParticipation } from './participation';

// Its own module, apart from participation.ts: only the chair's screens ask before a close, and the texts a module
// names are loaded by every page that imports it (the delegate's phone has a JavaScript budget).

/**
 * What the chair is told before closing a vote, as t()'s arguments: how many present delegates have not voted yet,
 * or that every one has. Read when the question is shown and kept current (ballots still arrive meanwhile).
 */
export function closeWarning(voted: number, present: number): ['sui.chair.closeVoteRemaining' | 'sui.chair.closeVoteAllVoted', Record<string, number>] {
	const p = voteParticipation(voted, present);
	return p.notVoted > 0 ? ['sui.chair.closeVoteRemaining', { remaining: p.notVoted }] : ['sui.chair.closeVoteAllVoted', { present: p.present }];
}
