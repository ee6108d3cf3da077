import { getDb } from '../db';
import { onShutdown, shutdownSignal } from '../lifecycle';
import { SITTING_EVENTS_CHANNEL, eventsAfter, sittingEventFromNotification, type SittingEvent } from '../sittings/events';
import { EventHub } from './event-hub';
import { LiveFeed } from './live-feed';
import { pgListener } from './pg-listener';
import { cachedFrames, trackedFrame } from './sse-frames';

let hub: EventHub<SittingEvent> | undefined;
type NoticeListener = (sittingId: string, seq: number, type: string | undefined) => void;
const noticeListeners = new Set<NoticeListener>();

/**
 * Called with every sitting event's notice this process receives (from any instance, its own included), with the
 * event's type when the notice carried the event (a large one comes without it).
 */
export function onSittingNotice(listener: NoticeListener): void {
	noticeListeners.add(listener);
}

/** The process's hub for sitting events (a subscriber of the process's one LISTEN connection, shared by every screen). */
export function sittingHub(): EventHub<SittingEvent> {
	if (!hub) {
		const created = new EventHub<SittingEvent>({
			listener: pgListener(),
			channel: SITTING_EVENTS_CHANNEL,
			fetchAfter: (sittingId, afterSeq) => eventsAfter(getDb(), sittingId, afterSeq),
			fromNotification: sittingEventFromNotification,
			onNotice: (sittingId, seq, event) => noticeListeners.forEach((listener) => listener(sittingId, seq, event?.type)),
			currentSeq: async (sittingId) =>
				Number((await getDb().selectFrom('sittings').select('last_seq').where('id', '=', sittingId).executeTakeFirst())?.last_seq ?? 0),
			currentSeqs: async (sittingIds) => {
				const rows = await getDb().selectFrom('sittings').select(['id', 'last_seq']).where('id', 'in', sittingIds).execute();
				return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
			}
		});
		hub = created;
		void created.start();
		onShutdown(() => created.stop());
		shutdownSignal().addEventListener('abort', () => void created.stop(), { once: true });
	}
	return hub;
}

/**
 * Shows an event whose own statement notified the other instances (delivered at its commit) to this process's
 * subscribers at once, without waiting for that notice to come back.
 */
export function publishNotifiedEvent(event: SittingEvent): void {
	hub?.publishLocal(event.sittingId, event);
}

export async function stopSittingHub(): Promise<void> {
	const h = hub;
	hub = undefined;
	await h?.stop();
}

/** What a screen receives for one sitting event (the sitting id is the subscription's, not repeated). */
function sittingEventView(event: SittingEvent) {
	return { seq: event.seq, type: event.type, payload: event.payload, createdAt: event.createdAt };
}

const sittingEventFrame = cachedFrames((event: SittingEvent) => trackedFrame(String(event.seq), sittingEventView(event)));

/** `sitting.events`: the stored events after `afterSeq`, then live ones. */
export function sittingEventFeed(sittingId: string, afterSeq: number, signal?: AbortSignal) {
	return new LiveFeed(sittingHub(), sittingId, afterSeq, sittingEventFrame, sittingEventView, signal);
}
