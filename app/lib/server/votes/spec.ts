import type { BallotType } from '../../../../db/schema.js';
import type { ConfidenceSpec, ElectionSpec } from '../../domain/ballot';
import { assertConfidenceSpec, assertElectionSpec } from '../../domain/ballot';
import type { PassRule } from '../../domain/pass-rule';
import { assertPassRule } from '../../domain/pass-rule';
import { AppError } from '../errors';

export type RuleInput = 'majority' | 'two_thirds' | 'custom' | { num: number; den: number; strict?: boolean };

/** The rule a vote is counted by; 'custom' is the council's own fraction (a per-council setting). */
export function resolveRule(input: RuleInput, council: { custom_rule_num: number | null; custom_rule_den: number | null }): PassRule {
	let rule: PassRule;
	if (input === 'majority' || input === 'two_thirds') rule = { kind: input };
	else if (input === 'custom') {
		if (!council.custom_rule_num || !council.custom_rule_den) throw new AppError('BAD_REQUEST', 'vote.noCustomRule');
		rule = { kind: 'fraction', num: council.custom_rule_num, den: council.custom_rule_den, strict: false };
	} else rule = { kind: 'fraction', num: input.num, den: input.den, strict: input.strict ?? false };
	assertPassRule(rule);
	return rule;
}

export type BallotOptions = ElectionSpec | ConfidenceSpec | null;

export function ballotTypeOf(options: unknown): BallotType {
	if (options && typeof options === 'object' && 'candidates' in options) return 'election';
	if (options && typeof options === 'object' && 'persons' in options) return 'confidence';
	return 'yes_no_abstain';
}

export function assertOptions(type: BallotType, options: unknown): BallotOptions {
	if (type === 'election') {
		assertElectionSpec(options as ElectionSpec);
		return options as ElectionSpec;
	}
	if (type === 'confidence') {
		assertConfidenceSpec(options as ConfidenceSpec);
		return options as ConfidenceSpec;
	}
	return null;
}
