import type { RouterOutputs, StreamData } from '$lib/api-types';

// The dashboard's types as the API sends them (the browser never imports $lib/server, not even types).

/** One batch of the live dashboard (`monitor.events`). */
export type MonitorBatch = StreamData<RouterOutputs['monitor']['events']>;
/** One council's row of the dashboard. */
export type MonitorRow = RouterOutputs['monitor']['overview']['rows'][number];
export type LiveStatus = MonitorRow['status'];
