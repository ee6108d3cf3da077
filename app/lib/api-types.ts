import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$lib/server/api/root';

// The one place browser code learns the server's types: the API's own router, as types only (erased at build, so no
// server code reaches the browser). Everything else the browser shows is typed from what the API returns, not by
// importing $lib/server (eslint.config.js enforces this).
export type { AppRouter };

/** What each procedure returns; for a subscription, what each message carries. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** What each message of a subscription carries (`RouterOutputs` gives a subscription as its stream of tracked messages). */
export type StreamData<T> = T extends AsyncIterable<infer M> ? (M extends { data: infer D } ? D : M) : never;
