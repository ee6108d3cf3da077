import { DomainError } from './errors';
import { MAX_DENOMINATOR } from './fraction';
import { assertCount, ceilDiv, floorDiv } from './integers';
import type { MessageKey } from './messages';

// docs/domain.md: a resolution passes when MORE THAN HALF OF ALL SEATED delegates (tổng số đại biểu) vote yes,
// not half of those present; dismissal (bãi nhiệm) needs AT LEAST TWO THIRDS of all seated delegates.
// Abstentions, "no" and absences all simply fail to be "yes": only the yes count is compared.
export type PassRule =
	| { kind: 'majority' }
	| { kind: 'two_thirds' }
	| { kind: 'fraction'; num: number; den: number; strict: boolean };

export const DEFAULT_PASS_RULE: PassRule = Object.freeze({ kind: 'majority' });
export const DISMISSAL_PASS_RULE: PassRule = Object.freeze({ kind: 'two_thirds' });

export function isPassRule(r: unknown): r is PassRule {
	if (typeof r !== 'object' || r === null) return false;
	const o = r as Record<string, unknown>;
	if (o.kind === 'majority' || o.kind === 'two_thirds') return true;
	if (o.kind !== 'fraction' || typeof o.strict !== 'boolean') return false;
	const { num, den } = o;
	if (!Number.isInteger(num) || !Number.isInteger(den)) return false;
	const n = num as number;
	const d = den as number;
	// "more than den/den" can never be reached: refuse a rule under which nothing could pass.
	return n >= 1 && n <= d && d <= MAX_DENOMINATOR && !(o.strict && n === d);
}

export function assertPassRule(r: unknown): asserts r is PassRule {
	if (!isPassRule(r)) throw new DomainError('INVALID_PASS_RULE');
}

/** Whether `yes` votes carry the decision, measured against ALL seated delegates. */
export function passes(rule: PassRule, yes: number, seated: number): boolean {
	assertPassRule(rule);
	assertCount('yes', yes);
	assertCount('seated', seated);
	if (yes > seated) throw new DomainError('VOTES_EXCEED_SEATED', { votes: yes, seated });
	// Nothing passes with zero yes votes, even when a council has no seated delegates (0 ≥ ⅔·0).
	if (yes === 0) return false;
	switch (rule.kind) {
		case 'majority':
			return 2 * yes > seated;
		case 'two_thirds':
			return 3 * yes >= 2 * seated;
		case 'fraction':
			return rule.strict ? yes * rule.den > seated * rule.num : yes * rule.den >= seated * rule.num;
	}
}

/** The fewest yes votes that pass. Greater than `seated` only when seated is 0 (nothing can pass). */
export function requiredYes(rule: PassRule, seated: number): number {
	assertPassRule(rule);
	assertCount('seated', seated);
	let n: number;
	switch (rule.kind) {
		case 'majority':
			n = floorDiv(seated, 2) + 1;
			break;
		case 'two_thirds':
			n = ceilDiv(2 * seated, 3);
			break;
		case 'fraction':
			n = rule.strict
				? floorDiv(seated * rule.num, rule.den) + 1
				: ceilDiv(seated * rule.num, rule.den);
			break;
	}
	return Math.max(1, n);
}

export type RuleLabel = { key: MessageKey; params: Record<string, number> };

const LABEL_KEYS = {
	majority: ['passRule.majority', 'passRule.majority.counted'],
	two_thirds: ['passRule.two_thirds', 'passRule.two_thirds.counted'],
	fraction: ['passRule.fraction', 'passRule.fraction.counted'],
	fraction_strict: ['passRule.fraction_strict', 'passRule.fraction_strict.counted']
} as const satisfies Record<string, readonly [MessageKey, MessageKey]>;

/**
 * The text shown next to every result (docs/domain.md: "show the rule next to each result").
 * With `seated` the label also states the count, e.g. "Quá nửa tổng số đại biểu (16/30)".
 */
export function ruleLabelKey(rule: PassRule, seated?: number): RuleLabel {
	assertPassRule(rule);
	const [plain, counted] =
		rule.kind === 'fraction'
			? LABEL_KEYS[rule.strict ? 'fraction_strict' : 'fraction']
			: LABEL_KEYS[rule.kind];
	const params: Record<string, number> =
		rule.kind === 'fraction' ? { num: rule.num, den: rule.den } : {};
	if (seated === undefined) return { key: plain, params };
	return { key: counted, params: { ...params, required: requiredYes(rule, seated), seated } };
}
