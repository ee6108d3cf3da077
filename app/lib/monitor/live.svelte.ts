import { trpc } from '$lib/trpc';
import type { MonitorBatch, MonitorRow } from './types';

export type MonitorConnection = 'connecting' | 'live' | 'offline';

/** The city's ONE stream (`monitor.events`): a full snapshot first, then the rows of councils that changed. */
function follow(onBatch: (b: MonitorBatch) => void, onConnection: (c: MonitorConnection) => void): () => void {
	const sub = trpc.monitor.events.subscribe(undefined, {
		onStarted: () => onConnection('live'),
		onData: (envelope) => {
			onConnection('live');
			onBatch(envelope.data as MonitorBatch);
		},
		onConnectionStateChange: (s) => {
			if (s.state === 'connecting') onConnection('connecting');
			else if (s.state === 'idle') onConnection('offline');
			else if (s.state === 'pending') onConnection('live');
		},
		onError: () => onConnection('offline')
	});
	return () => sub.unsubscribe();
}

/**
 * The dashboard's 169 rows, kept live by ONE subscription (`monitor.events`): a full snapshot first, then the
 * rows of councils that changed, at most every half second.
 */
export class LiveMonitor {
	rows: MonitorRow[] = $state([]);
	connection: MonitorConnection = $state('connecting');
	at = $state('');
	/** Councils changed in the last batch (highlighted briefly). */
	changed: string[] = $state([]);

	constructor(rows: MonitorRow[], at: string) {
		this.rows = rows;
		this.at = at;
	}

	apply(batch: MonitorBatch) {
		if (batch.full) this.rows = batch.rows;
		else {
			const byId: Record<string, MonitorRow> = Object.fromEntries(batch.rows.map((r) => [r.councilId, r]));
			this.rows = this.rows.map((r) => byId[r.councilId] ?? r);
		}
		this.changed = batch.full ? [] : batch.rows.map((r) => r.councilId);
		this.at = batch.at;
	}

	connect(): () => void {
		return follow(
			(b) => this.apply(b),
			(c) => (this.connection = c)
		);
	}
}

/**
 * One council's row on its drill-down page, kept live by the same stream (it keeps only its own row).
 * `onMoved` runs when the council's state changes (a sitting convened, started or closed, a vote opened or
 * closed), so the page can re-read what depends on it (the latest sittings, the monthly figures).
 */
export class LiveCouncil {
	row: MonitorRow = $state() as MonitorRow;
	connection: MonitorConnection = $state('connecting');

	constructor(
		row: MonitorRow,
		private readonly onMoved: () => void = () => {}
	) {
		this.row = row;
	}

	apply(batch: MonitorBatch) {
		const next = batch.rows.find((r) => r.councilId === this.row.councilId);
		if (!next) return;
		const moved = next.status !== this.row.status || next.live?.sittingId !== this.row.live?.sittingId;
		this.row = next;
		if (moved) this.onMoved();
	}

	connect(): () => void {
		return follow(
			(b) => this.apply(b),
			(c) => (this.connection = c)
		);
	}
}
