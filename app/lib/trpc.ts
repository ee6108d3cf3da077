import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '$lib/api-types';
import { MAX_BATCH_CALLS, mustTravelAlone } from '$lib/api-batch';

/**
 * Calls sent alone, never batched: a ballot goes out the moment it is cast, and the server answers it directly;
 * the server refuses a login or logout batched with anything else (app/lib/api-batch.ts).
 */
const sentAlone = (path: string) => path === 'vote.cast' || mustTravelAlone(path);

/** The browser's API client: batched HTTP, single calls for ballots, and SSE (same-origin cookie) for subscriptions. */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url: '/api/trpc' }),
			false: splitLink({
				condition: (op) => sentAlone(op.path),
				true: httpLink({ url: '/api/trpc' }),
				false: httpBatchLink({ url: '/api/trpc', maxItems: MAX_BATCH_CALLS })
			})
		})
	]
});

/** The server already translated the message into the user's language. */
export function errorMessage(err: unknown): string {
	if (err instanceof TRPCClientError) return err.message;
	if (err instanceof Error) return err.message;
	return String(err);
}
