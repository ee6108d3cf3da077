import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '$lib/server/api/root';

/** The browser's API client: one batched HTTP link, and SSE (same-origin cookie) for subscriptions. */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url: '/api/trpc' }),
			false: httpBatchLink({ url: '/api/trpc' })
		})
	]
});

/** The server already translated the message into the user's language. */
export function errorMessage(err: unknown): string {
	if (err instanceof TRPCClientError) return err.message;
	if (err instanceof Error) return err.message;
	return String(err);
}
