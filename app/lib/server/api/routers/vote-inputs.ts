import { z } from 'zod';

// What a vote asks, as `vote.open` and `secretBallot.prepare` both take it: one shape, one set of limits.

const candidate = z.object({ id: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(200) });

/** An election's candidates and how many may be chosen, or a confidence rating's persons. */
export const voteOptions = z.union([
	z.object({ candidates: z.array(candidate).min(1).max(200), maxChoices: z.number().int().min(1).max(200) }),
	z.object({ persons: z.array(candidate).min(1).max(200) })
]);

export const passRule = z.union([
	z.enum(['majority', 'two_thirds', 'custom']),
	z.object({ num: z.number().int().min(1).max(1000), den: z.number().int().min(1).max(1000), strict: z.boolean().optional() })
]);
