/**
 * Batch verification of linear group equations. Each proof equation has the form Σ sᵢ·Pᵢ = identity; instead
 * of checking them one by one (two full scalar multiplications each), the verifier multiplies each by a fresh
 * random 128-bit weight and checks the single sum with one multi-scalar multiplication. A false equation passes
 * with probability at most 2⁻¹²⁸ per check. The weights are the verifier's own, so a prover cannot aim at them.
 */
import { G, IDENTITY, type Point, addS, mulS, multiScalar, randomWeight } from './group';

export class Batch {
	private points: Point[] = [];
	private scalars: bigint[] = [];
	// The same point (the key H, an option's c1) recurs in many equations: pool its coefficients.
	private slot = new Map<Point, number>();
	private gScalar = 0n;

	/** Adds δ·(Σ sᵢ·Pᵢ + g·G) = identity for a fresh weight δ; G's coefficients are pooled. */
	equation(terms: [Point, bigint][], g = 0n): void {
		const w = randomWeight();
		for (const [p, s] of terms) this.term(p, mulS(w, s));
		this.gScalar = addS(this.gScalar, mulS(w, g));
	}

	/** One batch holding the equations of all the given batches (each keeps its own weights). */
	static all(batches: Batch[]): Batch {
		const all = new Batch();
		for (const b of batches) {
			b.points.forEach((p, i) => all.term(p, b.scalars[i]));
			all.gScalar = addS(all.gScalar, b.gScalar);
		}
		return all;
	}

	private term(p: Point, s: bigint): void {
		const i = this.slot.get(p);
		if (i === undefined) {
			this.slot.set(p, this.points.length);
			this.points.push(p);
			this.scalars.push(s);
		} else this.scalars[i] = addS(this.scalars[i], s);
	}

	holds(): boolean {
		const sum = multiScalar([G, ...this.points], [this.gScalar, ...this.scalars]);
		return sum.equals(IDENTITY);
	}
}
