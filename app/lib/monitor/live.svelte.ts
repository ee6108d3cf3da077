import { trpc } from '$lib/trpc';
import type { MonitorBatch } from '$lib/server/monitor/hub';
import type { MonitorRow } from '$lib/server/monitor/overview';

export type MonitorConnection = 'connecting' | 'live' | 'offline';

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
		const sub = trpc.monitor.events.subscribe(undefined, {
			onStarted: () => (this.connection = 'live'),
			onData: (envelope) => {
				this.connection = 'live';
				this.apply(envelope.data as MonitorBatch);
			},
			onConnectionStateChange: (s) => {
				if (s.state === 'connecting') this.connection = 'connecting';
				else if (s.state === 'idle') this.connection = 'offline';
				else if (s.state === 'pending') this.connection = 'live';
			},
			onError: () => (this.connection = 'offline')
		});
		return () => sub.unsubscribe();
	}
}
