import { DomainError } from './errors';
import { assertFraction, TWO_THIRDS, type Fraction } from './fraction';
import { assertCount, ceilDiv } from './integers';

// docs/domain.md: "a sitting proceeds only when at least two thirds of all seated delegates take part."
// The fraction is a per-council setting (councils.quorum_num / quorum_den); 2/3 is the default.
export const DEFAULT_QUORUM: Fraction = TWO_THIRDS;

export type AttendanceStatus =
	'present_hall' | 'present_remote' | 'absent_excused' | 'absent_unexcused';

/** Delegates taking part by video count towards the quorum just like those in the hall. */
export function countsTowardQuorum(status: AttendanceStatus): boolean {
	return status === 'present_hall' || status === 'present_remote';
}

export type QuorumState = { present: number; seated: number; required: number; met: boolean };

/** The fewest delegates that make a quorum: ⌈seated·num/den⌉, in integers. */
export function quorumRequired(seated: number, f: Fraction = DEFAULT_QUORUM): number {
	assertCount('seated', seated);
	assertFraction(f);
	return ceilDiv(seated * f.num, f.den);
}

export function quorumState(
	present: number,
	seated: number,
	f: Fraction = DEFAULT_QUORUM
): QuorumState {
	assertCount('present', present);
	const required = quorumRequired(seated, f);
	if (present > seated) throw new DomainError('PRESENT_EXCEEDS_SEATED', { present, seated });
	// A council with no seated delegates cannot sit, although 0 ≥ ⌈0⌉ holds arithmetically.
	return { present, seated, required, met: seated > 0 && present >= required };
}

export function assertQuorum(q: QuorumState): void {
	if (!q.met) {
		throw new DomainError('QUORUM_NOT_MET', {
			present: q.present,
			seated: q.seated,
			required: q.required
		});
	}
}
