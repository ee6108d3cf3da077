import type { Translate } from '$lib/i18n';
import type { RouterOutputs } from '$lib/api-types';
import { connectionTracker, type ConnectionState } from '$lib/live/connection';
import { trpc } from '$lib/trpc';
import { isNewer } from './order';

type ConsultationResult = RouterOutputs['consultation']['result'];

/**
 * A consultation's result kept live in the browser by ONE subscription (`consultation.events`): the server's
 * snapshot first, then each newer result. Changes worth hearing are put in `announcement` (a polite live region).
 */
export class LiveConsultation {
	result: ConsultationResult = $state() as ConsultationResult;
	connection: ConnectionState = $state('connecting');
	announcement = $state('');
	#t: Translate;

	constructor(initial: ConsultationResult, t: Translate) {
		this.result = structuredClone(initial);
		this.#t = t;
	}

	/** Takes a result from the stream (exported for the unit test); a stale or repeated one changes nothing. */
	apply(next: ConsultationResult): void {
		const prev = this.result;
		if (!isNewer(next, prev)) {
			// The first message after a (re)connect repeats what we show; it may still carry our own answer.
			if (next.answered === prev.answered && next.myAnswer && !prev.myAnswer) this.result = next;
			return;
		}
		this.result = next;
		const counts = { answered: next.answered, seated: next.seated, agree: next.agree, disagree: next.disagree, comment: next.comment };
		this.announcement = this.#t(next.status === 'closed' && prev.status === 'open' ? 'consultation.live.closed' : 'consultation.live.update', counts);
	}

	/** The viewer's own answer, accepted by the server (the stream confirms it within half a second). */
	markAnswered(choice: NonNullable<ConsultationResult['myAnswer']>): void {
		this.result.myAnswer = choice;
	}

	/** Opens the page's one subscription; returns the function that closes it. */
	connect(): () => void {
		this.connection = 'connecting';
		const sub = trpc.consultation.events.subscribe(
			{ consultationId: this.result.consultationId },
			{
				...connectionTracker((state) => (this.connection = state)),
				onData: (envelope) => {
					this.connection = 'live';
					this.apply(envelope.data as ConsultationResult);
				}
			}
		);
		return () => sub.unsubscribe();
	}
}
