/**
 * Batch verification of linear group equations. Each proof equation has the form Σ sᵢ·Pᵢ = identity; instead
 * of checking them one by one (two full scalar multiplications each), the verifier multiplies each by a fresh
 * random 128-bit weight and checks the single sum with one multi-scalar multiplication. A false equation passes
 * with probability at most 2⁻¹²⁷ per check. The weights are the verifier's own, so a prover cannot aim at them.
 *
 * The first equation of a batch takes weight 1 (if it alone is false the sum is not the identity; if another is,
 * its own random weight still decides): one point then needs an addition instead of a multiplication, which is
 * what a group without a shared-doubling multi-scalar routine (libsodium) pays per point. `Batch.all` gives every
 * batch but the first a fresh weight, so no two weight-1 equations (a prover could make their errors cancel) meet.
 */
import { type Group, type Point, addS, mulS, defaultGroup, randomWeight } from './group';

export class Batch<P = Point> {
	private points: P[] = [];
	private scalars: bigint[] = [];
	// The same point (the key H, an option's c1) recurs in many equations: pool its coefficients.
	private slot = new Map<P, number>();
	private gScalar = 0n;
	private empty = true;

	constructor(readonly group: Group<P> = defaultGroup<P>()) {}

	/** Adds δ·(Σ sᵢ·Pᵢ + g·G) = identity for a fresh weight δ (1 for the first); G's coefficients are pooled. */
	equation(terms: [P, bigint][], g = 0n): void {
		const w = this.empty ? 1n : randomWeight();
		this.empty = false;
		for (const [p, s] of terms) this.term(p, mulS(w, s));
		this.gScalar = addS(this.gScalar, mulS(w, g));
	}

	/** One batch holding the equations of all the given batches (same group), each rescaled by a fresh weight. */
	static all<P>(batches: Batch<P>[]): Batch<P> {
		const all = new Batch<P>(batches[0]?.group);
		for (const b of batches) {
			if (b.empty) continue;
			const w = all.empty ? 1n : randomWeight();
			all.empty = false;
			b.points.forEach((p, i) => all.term(p, mulS(w, b.scalars[i])));
			all.gScalar = addS(all.gScalar, mulS(w, b.gScalar));
		}
		return all;
	}

	private term(p: P, s: bigint): void {
		const i = this.slot.get(p);
		if (i === undefined) {
			this.slot.set(p, this.points.length);
			this.points.push(p);
			this.scalars.push(s);
		} else this.scalars[i] = addS(this.scalars[i], s);
	}

	holds(): boolean {
		const g = this.group;
		return g.isIdentity(g.multiScalar([g.G, ...this.points], [this.gScalar, ...this.scalars]));
	}
}
