import type { RouterOutputs } from '$lib/api-types';
import type { PassRule, RuleLabel } from '$lib/domain/pass-rule';
import type { CityRole, CouncilRole } from '../../../db/schema.js';

type Outputs = RouterOutputs;

export type SittingDetail = Outputs['sitting']['get'];
export type SittingSnapshot = Outputs['sitting']['state'];
export type VoteView = Outputs['vote']['get'];
export type FloorSnapshot = SittingSnapshot['floor'];
export type FloorEntry = FloorSnapshot['queue'][number];
export type AgendaItem = SittingDetail['agenda'][number];
export type SittingDocument = SittingDetail['documents'][number];
export type AttendanceRow = SittingDetail['attendance'][number];
export type SittingStatus = SittingDetail['status'];
export type AttendanceStatus = 'present_hall' | 'present_remote' | 'absent_excused' | 'absent';

export type Person = { id: string; name: string };
export type BallotOptions = { candidates: Person[]; maxChoices: number } | { persons: Person[] } | null;

/** The vote that is open now, as every screen shows it. */
export interface OpenVote {
	voteId: string;
	itemId: string;
	question: string;
	kind: 'open' | 'secret';
	ballotType: 'yes_no_abstain' | 'election' | 'confidence';
	options: BallotOptions;
	rule: PassRule | null;
	ruleLabel: RuleLabel | null;
	closesAt: string | null;
	seated: number;
	present: number;
	voted: number;
	/** Only known for the signed-in delegate's own screen. */
	iHaveVoted: boolean;
	/** An encrypted secret vote (issue 17): the committee's key the ballot is encrypted to; null otherwise. */
	encrypted: EncryptedVoteKey | null;
	/** An encrypted vote whose casting the chair closed: waiting for the committee's count (no more ballots). */
	counting?: boolean;
}

export interface EncryptedVoteKey {
	publicKey: string;
	threshold: number;
	members: number;
}

/** A closed vote's public summary (the vote.closed payload), or a voided vote. */
export interface VoteOutcome {
	voteId: string;
	/** The agenda item voted under (the held result is released when the sitting moves to another item). */
	itemId?: string;
	status: 'closed' | 'void';
	question?: string;
	kind?: 'open' | 'secret';
	ballotType?: 'yes_no_abstain' | 'election' | 'confidence';
	reason?: string;
	passed?: boolean;
	yes?: number;
	no?: number;
	abstain?: number;
	cast?: number;
	notVoted?: number;
	seated?: number;
	present?: number;
	ruleLabel?: RuleLabel;
	candidates?: { id: string; name: string; votes: number; elected: boolean; tieUnresolved: boolean }[];
	seatsUnfilled?: number;
	persons?: {
		id: string;
		name: string;
		high: { count: number };
		confidence: { count: number };
		low: { count: number };
		lowOverHalf: boolean;
		lowAtLeastTwoThirds: boolean;
	}[];
	/** An encrypted secret vote's result: its public board can be checked (`counts` per option). */
	encrypted?: boolean;
	counts?: number[];
	/** Open votes only, from vote.result: who chose what. */
	choices?: { userId: string; fullName: string; choice: unknown }[];
}

/** What a page needs to start a live sitting screen (loaded on the server, then kept live in the browser). */
export interface SittingPageData {
	detail: SittingDetail;
	snapshot: SittingSnapshot;
	openVote: VoteView | null;
	roles: CouncilRole[];
	cityRoles: CityRole[];
	userId: string;
}
