import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from './errors';
import { messageFor } from './messages';
import {
	validateChoice,
	validateConfidenceChoice,
	validateElectionChoice,
	type ConfidenceChoice,
	type ElectionSpec,
	type YesNoChoice
} from './ballot';
import { percentOf, tallyConfidence, tallyElection, tallyYesNo } from './tally';

const many = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);
function codeOf(fn: () => unknown): string | undefined {
	try {
		fn();
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
	return undefined;
}

describe('tallyYesNo', () => {
	it('docs/domain.md example: 30 seated, 21 present, 15 yes → fails; 16 yes → passes', () => {
		const fails = tallyYesNo(
			[...many(15, 'yes'), ...many(4, 'no'), ...many(2, 'abstain')] as YesNoChoice[],
			30,
			21,
			{ kind: 'majority' }
		);
		expect(fails).toMatchObject({
			yes: 15,
			no: 4,
			abstain: 2,
			cast: 21,
			notVoted: 9,
			seated: 30,
			present: 21,
			requiredYes: 16,
			passed: false
		});
		const passesNow = tallyYesNo([...many(16, 'yes'), ...many(5, 'no')] as YesNoChoice[], 30, 21, {
			kind: 'majority'
		});
		expect(passesNow.passed).toBe(true);
	});

	it('abstentions and absences are not yes: 15 yes + 6 abstain of 21 present still fails', () => {
		const t = tallyYesNo([...many(15, 'yes'), ...many(6, 'abstain')] as YesNoChoice[], 30, 21, {
			kind: 'majority'
		});
		expect(t.passed).toBe(false);
		expect(t.notVoted).toBe(9);
	});

	it('a unanimous hall below a majority of seated does not pass', () => {
		const t = tallyYesNo(many(15, 'yes') as YesNoChoice[], 30, 20, { kind: 'majority' });
		expect(t.passed).toBe(false);
	});

	it('two thirds for dismissal: 19 of 30 fails, 20 passes', () => {
		expect(
			tallyYesNo(many(19, 'yes') as YesNoChoice[], 30, 30, { kind: 'two_thirds' }).passed
		).toBe(false);
		expect(
			tallyYesNo(many(20, 'yes') as YesNoChoice[], 30, 30, { kind: 'two_thirds' }).passed
		).toBe(true);
	});

	it('counts delegates who were present but did not press a button as not voted', () => {
		const t = tallyYesNo(many(16, 'yes') as YesNoChoice[], 30, 25);
		expect(t).toMatchObject({ cast: 16, notVoted: 14, passed: true });
		expect(t.ruleLabel).toEqual({
			key: 'passRule.majority.counted',
			params: { required: 16, seated: 30 }
		});
	});

	it('refuses impossible counts and unknown choices', () => {
		expect(codeOf(() => tallyYesNo(many(22, 'yes') as YesNoChoice[], 30, 21))).toBe(
			'BALLOTS_EXCEED_PRESENT'
		);
		expect(codeOf(() => tallyYesNo([], 30, 31))).toBe('PRESENT_EXCEEDS_SEATED');
		expect(codeOf(() => tallyYesNo([], 0, 0))).toBe('INVALID_NUMBER');
		expect(codeOf(() => tallyYesNo(['maybe' as YesNoChoice], 30, 21))).toBe('INVALID_CHOICE');
	});
});

const spec: ElectionSpec = {
	candidates: [
		{ id: 'a', name: 'Nguyễn Văn An' },
		{ id: 'b', name: 'Trần Thị Bình' },
		{ id: 'c', name: 'Lê Văn Cường' },
		{ id: 'd', name: 'Phạm Thị Dung' }
	],
	maxChoices: 2
};

describe('validateElectionChoice', () => {
	it('returns the ids in ballot order whatever the click order; an empty ballot is valid', () => {
		expect(validateElectionChoice(spec, ['c', 'a'])).toEqual(['a', 'c']);
		expect(validateElectionChoice(spec, [])).toEqual([]);
	});

	it('rejects duplicates, unknown candidates, too many choices and non-lists', () => {
		expect(codeOf(() => validateElectionChoice(spec, ['a', 'a']))).toBe(
			'ELECTION_DUPLICATE_CANDIDATE'
		);
		expect(codeOf(() => validateElectionChoice(spec, ['z']))).toBe('ELECTION_UNKNOWN_CANDIDATE');
		expect(codeOf(() => validateElectionChoice(spec, ['a', 'b', 'c']))).toBe(
			'ELECTION_TOO_MANY_CHOICES'
		);
		expect(codeOf(() => validateElectionChoice(spec, 'a'))).toBe('INVALID_CHOICE');
		expect(codeOf(() => validateElectionChoice(spec, [1]))).toBe('INVALID_CHOICE');
	});

	it('rejects a malformed ballot spec', () => {
		expect(codeOf(() => validateElectionChoice({ candidates: [], maxChoices: 1 }, []))).toBe(
			'INVALID_BALLOT_SPEC'
		);
		expect(codeOf(() => validateElectionChoice({ ...spec, maxChoices: 0 }, []))).toBe(
			'INVALID_BALLOT_SPEC'
		);
		expect(
			codeOf(() =>
				validateElectionChoice(
					{ candidates: [spec.candidates[0], spec.candidates[0]], maxChoices: 1 },
					[]
				)
			)
		).toBe('INVALID_BALLOT_SPEC');
	});
});

describe('validateChoice: one door, always INVALID_CHOICE, the reason kept', () => {
	it('normalises valid choices of each kind', () => {
		expect(validateChoice('yes_no_abstain', undefined, 'abstain')).toBe('abstain');
		expect(validateChoice('election', spec, ['d', 'b'])).toEqual(['b', 'd']);
		expect(
			validateChoice('confidence', { persons: [{ id: 'p', name: 'P' }] }, { p: 'low' })
		).toEqual({ p: 'low' });
	});

	it('wraps specific errors as INVALID_CHOICE with a readable reason', () => {
		try {
			validateChoice('election', spec, ['a', 'b', 'c']);
			expect.unreachable();
		} catch (e) {
			expect(isDomainError(e, 'INVALID_CHOICE')).toBe(true);
			expect((e as DomainError).params).toEqual({
				reason: 'ELECTION_TOO_MANY_CHOICES',
				max: 2,
				count: 3
			});
			expect(messageFor(e as DomainError)).toBe(
				'Mỗi phiếu chỉ được chọn tối đa 2 người (phiếu đang chọn 3 người).'
			);
		}
		expect(codeOf(() => validateChoice('yes_no_abstain', undefined, 'YES'))).toBe('INVALID_CHOICE');
		expect(codeOf(() => validateChoice('yes_no_abstain', undefined, null))).toBe('INVALID_CHOICE');
		expect(
			codeOf(() => validateChoice('confidence', { persons: [{ id: 'p', name: 'P' }] }, {}))
		).toBe('INVALID_CHOICE');
		expect(codeOf(() => validateChoice('bogus' as 'election', spec, []))).toBe('INVALID_CHOICE');
	});
});

describe('tallyElection (default: more than half of ALL seated, at most k elected)', () => {
	it('elects those above half of seated, most votes first', () => {
		// 30 seated, 25 present; a: 20, b: 16 (exactly the 16 needed), c: 9, d: 0
		const ballots = [
			...many(10, ['a', 'b']),
			...many(6, ['b', 'a']),
			...many(4, ['a', 'c']),
			...many(5, ['c'])
		];
		const t = tallyElection(ballots, 30, 25, spec);
		const votes = Object.fromEntries(t.candidates.map((c) => [c.id, c.votes]));
		expect(votes).toEqual({ a: 20, b: 16, c: 9, d: 0 });
		expect(t.candidates.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
		expect(t.elected).toEqual(['a', 'b']);
		expect(t).toMatchObject({ seatsUnfilled: 0, cast: 25, notVoted: 5, requiredVotes: 16 });
	});

	it('15 of 30 is not more than half: not elected, the seat stays open', () => {
		const t = tallyElection([...many(15, ['a', 'b']), ...many(5, ['b'])], 30, 20, spec);
		expect(t.elected).toEqual(['b']);
		expect(t.candidates.find((c) => c.id === 'a')).toMatchObject({
			votes: 15,
			reachedThreshold: false,
			elected: false
		});
		expect(t.seatsUnfilled).toBe(1);
	});

	it('a tie across the last seat among qualified candidates elects none of the tied', () => {
		// k = 2, 30 seated; a: 24, b: 18, c: 18 — both b and c reach 16; only one seat is left after a
		const ballots = [
			...many(12, ['a', 'b']),
			...many(6, ['a', 'c']),
			...many(6, ['b', 'c']),
			...many(6, ['c', 'a'])
		];
		const t = tallyElection(ballots, 30, 30, spec);
		const votes = Object.fromEntries(t.candidates.map((c) => [c.id, c.votes]));
		expect(votes).toEqual({ a: 24, b: 18, c: 18, d: 0 });
		expect(t.elected).toEqual(['a']);
		expect(t.tieUnresolved).toEqual(['b', 'c']);
		expect(t.seatsUnfilled).toBe(1);
		expect(t.candidates.find((c) => c.id === 'b')).toMatchObject({
			elected: false,
			tieUnresolved: true
		});
	});

	it('a tie that fits inside k elects all tied; a tie below the threshold is not "unresolved"', () => {
		const fits = tallyElection([...many(16, ['a', 'b']), ...many(4, ['c'])], 30, 20, spec);
		expect(fits.elected).toEqual(['a', 'b']);
		expect(fits.tieUnresolved).toEqual([]);
		const below = tallyElection([...many(20, ['a']), ...many(10, ['b', 'c'])], 30, 30, {
			...spec,
			maxChoices: 2
		});
		expect(below.elected).toEqual(['a']);
		expect(below.tieUnresolved).toEqual([]);
	});

	it('a tie for the only seat with k = 1', () => {
		// with k = 1 a majority tie is impossible, so use a 1/3 rule: 4 and 4 of 9 both reach 3
		const t = tallyElection(
			[...many(4, ['a']), ...many(4, ['b'])],
			9,
			9,
			{ ...spec, maxChoices: 1 },
			{ kind: 'fraction', num: 1, den: 3, strict: false }
		);
		expect(t.elected).toEqual([]);
		expect(t.tieUnresolved).toEqual(['a', 'b']);
	});

	it('refuses an invalid ballot rather than counting part of it', () => {
		expect(codeOf(() => tallyElection([['a', 'a']], 30, 20, spec))).toBe(
			'ELECTION_DUPLICATE_CANDIDATE'
		);
		expect(codeOf(() => tallyElection(many(21, ['a']), 30, 20, spec))).toBe(
			'BALLOTS_EXCEED_PRESENT'
		);
	});
});

describe('tallyConfidence (shares of ALL seated delegates)', () => {
	const persons = {
		persons: [
			{ id: 'x', name: 'Võ Văn Xuân' },
			{ id: 'y', name: 'Đặng Thị Yến' }
		]
	};
	const ballot = (
		x: 'high' | 'confidence' | 'low',
		y: 'high' | 'confidence' | 'low'
	): ConfidenceChoice => ({ x, y });

	it('counts each level and states exact shares of seated plus a rounded percentage', () => {
		const t = tallyConfidence(
			[...many(16, ballot('low', 'high')), ...many(9, ballot('confidence', 'high'))],
			30,
			27,
			persons
		);
		const x = t.persons[0];
		expect(x.low).toEqual({ count: 16, share: { num: 16, den: 30 }, percent: 53.33 });
		expect(x.confidence).toEqual({ count: 9, share: { num: 9, den: 30 }, percent: 30 });
		expect(x.high.count).toBe(0);
		expect(x.lowOverHalf).toBe(true);
		expect(x.lowAtLeastTwoThirds).toBe(false);
		expect(t.persons[1].high).toEqual({ count: 25, share: { num: 25, den: 30 }, percent: 83.33 });
		expect(t).toMatchObject({ cast: 25, notVoted: 5 });
	});

	it('low > ½ of seated: 15 of 30 is not over half, 16 is', () => {
		const at = (low: number) =>
			tallyConfidence(many(low, ballot('low', 'high')), 30, 30, persons).persons[0];
		expect(at(15).lowOverHalf).toBe(false);
		expect(at(16).lowOverHalf).toBe(true);
		expect(at(19).lowAtLeastTwoThirds).toBe(false);
		expect(at(20).lowAtLeastTwoThirds).toBe(true);
	});

	it('counts against seated, not cast: 11 low of 20 ballots among 30 seated is not over half', () => {
		const t = tallyConfidence(
			[...many(11, ballot('low', 'high')), ...many(9, ballot('high', 'high'))],
			30,
			20,
			persons
		);
		expect(t.persons[0].lowOverHalf).toBe(false);
	});

	it('every person must be rated, with a known level, and nobody else', () => {
		expect(codeOf(() => validateConfidenceChoice(persons, { x: 'low' }))).toBe(
			'CONFIDENCE_INCOMPLETE'
		);
		expect(codeOf(() => validateConfidenceChoice(persons, { x: 'low', y: 'none' }))).toBe(
			'CONFIDENCE_INVALID_RATING'
		);
		expect(codeOf(() => validateConfidenceChoice(persons, { x: 'low', y: 'low', z: 'low' }))).toBe(
			'CONFIDENCE_UNKNOWN_PERSON'
		);
		expect(codeOf(() => validateConfidenceChoice(persons, ['low', 'low']))).toBe('INVALID_CHOICE');
		expect(codeOf(() => tallyConfidence([{ x: 'low' } as ConfidenceChoice], 30, 20, persons))).toBe(
			'CONFIDENCE_INCOMPLETE'
		);
		try {
			validateConfidenceChoice(persons, { x: 'low' });
		} catch (e) {
			expect(messageFor(e as DomainError)).toContain('Đặng Thị Yến');
		}
	});

	it('ignores inherited properties when checking completeness', () => {
		const sneaky = Object.create({ y: 'high' }) as Record<string, string>;
		sneaky.x = 'low';
		expect(codeOf(() => validateConfidenceChoice(persons, sneaky))).toBe('CONFIDENCE_INCOMPLETE');
	});
});

describe('percentOf (integer rounding half-up to 2 decimals)', () => {
	it.each([
		[1, 3, 33.33],
		[2, 3, 66.67],
		[1, 8, 12.5],
		[1, 1, 100],
		[0, 7, 0],
		[1, 40000, 0], // 0.0025 % → 0.00
		[1, 20000, 0.01], // 0.005 % → 0.01 (exactly half: up)
		[1, 20001, 0] // 0.00499… % → 0.00
	])('%i/%i → %d', (n, d, p) => {
		expect(percentOf(n, d)).toBe(p);
	});
});
