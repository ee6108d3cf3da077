import { getDb } from '../db';
import { onShutdown, shutdownSignal } from '../lifecycle';
import { ConsultationFeed, type ConsultationResult } from '../consultations/feed';
import { consultationResult } from '../consultations/service';
import { log } from '../log';
import { CITY_EVENTS_CHANNEL } from '../notifications/channel';
import { getNotification, type NotificationView } from '../notifications/service';
import { AsyncQueue } from '../realtime/async-queue';
import { pgListener, type PgListener, type Subscription } from '../realtime/pg-listener';
import { SITTING_EVENTS_CHANNEL } from '../sittings/events';
import { monitorOverview, type MonitorRow } from './overview';

export interface MonitorBatch {
	/** Increases with every batch of this process. */
	version: number;
	/** Full: every council (first message and after a reconnect); otherwise only the councils that changed. */
	full: boolean;
	rows: MonitorRow[];
	at: string;
}

export interface CityHubOptions {
	/** The process's LISTEN connection (see realtime/pg-listener.ts). */
	listener: PgListener;
	/** How often changed councils are re-read and sent (coalescing window). */
	flushMs?: number;
}

/**
 * One per app instance: subscribes (on the process's one LISTEN connection) to the sittings' channel and the city
 * view's channel.
 * Notifications only mark councils dirty; every `flushMs` the dirty councils' rows are read with one
 * aggregate query and sent to every dashboard, so 169 busy councils cost one query per window, not one per
 * event and screen. The same subscriptions wake users' notification centres and live consultation results.
 */
export class CityHub {
	private subscriptions: Subscription[] = [];
	/** Resolves once both channels are listened (or the hub stopped). */
	private ready: Promise<void> | null = null;
	private stopped = false;
	private dirty = new Set<string>();
	private dirtySittings = new Set<string>();
	private sittingCouncil = new Map<string, string>();
	private monitors = new Set<AsyncQueue<MonitorBatch>>();
	private users = new Map<string, Set<AsyncQueue<NotificationView>>>();
	private timer: ReturnType<typeof setInterval> | null = null;
	private flushing = false;
	private version = 0;
	/** Everything changed since the last connection (after a reconnect the dashboards get a full snapshot). */
	private resync = false;
	private readonly consultations: ConsultationFeed;

	constructor(private readonly options: CityHubOptions) {
		this.consultations = new ConsultationFeed({ read: (id, viewerId) => consultationResult(getDb(), id, viewerId), flushMs: options.flushMs ?? 500 });
	}

	get listening(): boolean {
		return this.subscriptions.length > 0 && this.subscriptions.every((s) => s.listening);
	}

	get monitorCount(): number {
		return this.monitors.size;
	}

	start(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		this.ready ??= this.subscribe();
		if (!this.timer) {
			this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 500);
			this.timer.unref();
		}
		return this.ready;
	}

	private subscribe(): Promise<void> {
		const { listener } = this.options;
		// Whatever happened while a channel was not listened is unknown: the next flush sends every council.
		const lost = () => (this.resync = true);
		const sittings = listener.subscribe(SITTING_EVENTS_CHANNEL, { notify: (payload) => this.onNotification(SITTING_EVENTS_CHANNEL, payload), lost });
		const city = listener.subscribe(CITY_EVENTS_CHANNEL, {
			notify: (payload) => this.onNotification(CITY_EVENTS_CHANNEL, payload),
			// Results watched while we were not listening may have moved.
			listening: () => this.consultations.resyncAll(),
			lost
		});
		this.subscriptions = [sittings, city];
		return Promise.all([sittings.ready, city.ready]).then(() => {});
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		for (const q of this.monitors) q.close();
		for (const set of this.users.values()) for (const q of set) q.close();
		this.consultations.stop();
		for (const s of this.subscriptions) s.close();
		this.subscriptions = [];
	}

	private onNotification(channel: string, payload: string) {
		if (channel === SITTING_EVENTS_CHANNEL) {
			if (this.monitors.size === 0) return;
			const sittingId = payload.split(':')[0];
			const council = this.sittingCouncil.get(sittingId);
			if (council) this.dirty.add(council);
			else if (sittingId) this.dirtySittings.add(sittingId);
			return;
		}
		if (payload.startsWith('c:')) {
			if (this.monitors.size > 0) this.dirty.add(payload.slice(2));
		} else if (payload.startsWith('k:')) {
			this.consultations.changed(payload.slice(2));
		} else if (payload.startsWith('n:')) {
			const [, userId, id] = payload.split(':');
			const subs = this.users.get(userId);
			if (subs && subs.size > 0 && id) void this.deliverNotification(userId, id);
		}
	}

	private async deliverNotification(userId: string, id: string) {
		try {
			const n = await getNotification(getDb(), userId, id);
			if (!n) return;
			for (const q of this.users.get(userId) ?? []) q.push(n);
		} catch (err) {
			log.warn('city hub: cannot read notification', { err });
		}
	}

	/** Reads the changed councils' rows once and sends them to every dashboard. */
	async flush(): Promise<void> {
		if (this.flushing || this.monitors.size === 0) return;
		if (this.dirty.size === 0 && this.dirtySittings.size === 0 && !this.resync) return;
		this.flushing = true;
		const full = this.resync;
		this.resync = false;
		const dirty = [...this.dirty];
		const sittings = [...this.dirtySittings];
		this.dirty.clear();
		this.dirtySittings.clear();
		try {
			const db = getDb();
			if (sittings.length > 0) {
				const found = await db.selectFrom('sittings').select(['id', 'council_id']).where('id', 'in', sittings).execute();
				for (const s of found) {
					if (this.sittingCouncil.size > 20_000) this.sittingCouncil.clear();
					this.sittingCouncil.set(s.id, s.council_id);
					dirty.push(s.council_id);
				}
			}
			const rows = await monitorOverview(db, full ? undefined : [...new Set(dirty)]);
			if (rows.length > 0 || full) this.broadcast({ version: ++this.version, full, rows, at: new Date().toISOString() });
		} catch (err) {
			// Nothing is lost: mark them again for the next window.
			for (const c of dirty) this.dirty.add(c);
			if (full) this.resync = true;
			log.warn('city hub: flush failed', { err });
		} finally {
			this.flushing = false;
		}
	}

	private broadcast(batch: MonitorBatch) {
		for (const q of this.monitors) q.push(batch);
	}

	/**
	 * The dashboard's stream: first a full snapshot of every council, then the changed councils' rows, at most
	 * once per window. Ends when `signal` aborts or the hub stops.
	 */
	async *monitorStream(signal?: AbortSignal): AsyncGenerator<MonitorBatch> {
		void this.start();
		const queue = new AsyncQueue<MonitorBatch>();
		if (signal?.aborted) return;
		this.monitors.add(queue);
		const abort = () => queue.close();
		signal?.addEventListener('abort', abort, { once: true });
		try {
			await this.ready;
			// Subscribed before the snapshot is read, so no change falls between the two.
			yield { version: this.version, full: true, rows: await monitorOverview(getDb()), at: new Date().toISOString() };
			for (;;) {
				const batches = await queue.take();
				if (!batches) return;
				if (batches.length === 1) {
					yield batches[0];
					continue;
				}
				// A slow reader gets the batches merged: the newest row of each council.
				const merged = new Map<string, MonitorRow>();
				for (const b of batches) for (const r of b.rows) merged.set(r.councilId, r);
				const last = batches[batches.length - 1];
				yield { version: last.version, full: batches.some((b) => b.full), rows: [...merged.values()], at: last.at };
			}
		} finally {
			signal?.removeEventListener('abort', abort);
			this.monitors.delete(queue);
		}
	}

	/** One consultation's result, live: the current one, then each change, at most once per window. */
	async *consultationStream(consultationId: string, viewerId: string, signal?: AbortSignal): AsyncGenerator<ConsultationResult> {
		void this.start();
		// Listening before the first read, so no change falls between the two.
		await this.ready;
		yield* this.consultations.stream(consultationId, viewerId, signal);
	}

	/** A user's new notifications, live. */
	async *notificationStream(userId: string, signal?: AbortSignal): AsyncGenerator<NotificationView> {
		void this.start();
		const queue = new AsyncQueue<NotificationView>();
		if (signal?.aborted) return;
		let set = this.users.get(userId);
		if (!set) this.users.set(userId, (set = new Set()));
		set.add(queue);
		const abort = () => queue.close();
		signal?.addEventListener('abort', abort, { once: true });
		try {
			await this.ready;
			for (;;) {
				const items = await queue.take();
				if (!items) return;
				for (const n of items) yield n;
			}
		} finally {
			signal?.removeEventListener('abort', abort);
			set.delete(queue);
			if (set.size === 0) this.users.delete(userId);
		}
	}
}

let hub: CityHub | undefined;

/** The process's city hub (one pair of subscriptions for every dashboard and notification centre). */
export function cityHub(): CityHub {
	if (!hub) {
		const created = new CityHub({ listener: pgListener(), flushMs: Number(process.env.MONITOR_FLUSH_MS ?? 500) });
		hub = created;
		void created.start();
		onShutdown(() => created.stop());
		shutdownSignal().addEventListener('abort', () => void created.stop(), { once: true });
	}
	return hub;
}

export async function stopCityHub(): Promise<void> {
	const h = hub;
	hub = undefined;
	await h?.stop();
}
