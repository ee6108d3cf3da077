import { ruleLabelKey, type PassRule, type RuleLabel } from '$lib/domain/pass-rule';
import type { Translate } from '$lib/i18n';
import { connectionTracker, type ConnectionState } from '$lib/live/connection';
import { trpc } from '$lib/trpc';
import type {
	AgendaItem,
	AttendanceStatus,
	BallotOptions,
	FloorSnapshot,
	OpenVote,
	SittingDetail,
	SittingDocument,
	SittingPageData,
	SittingSnapshot,
	SittingStatus,
	VoteOutcome,
	VoteView
} from './types';

export type { ConnectionState };

/** One event of the sitting's stream, as `sitting.events` yields it. */
export interface SittingEventMessage {
	seq: number;
	type: string;
	payload: Record<string, unknown>;
	createdAt: string;
}

function openVoteFromView(view: VoteView, seated: number, present: number): OpenVote {
	const rule = (view.rule ?? null) as PassRule | null;
	return {
		voteId: view.voteId,
		itemId: view.itemId,
		question: view.question,
		kind: view.kind,
		ballotType: view.ballotType,
		options: (view.options ?? null) as BallotOptions,
		rule,
		ruleLabel: rule ? safeRuleLabel(rule, seated) : null,
		closesAt: view.closesAt,
		seated,
		present,
		voted: view.voted,
		iHaveVoted: view.iHaveVoted,
		encrypted: view.encrypted ?? null
	};
}

function safeRuleLabel(rule: PassRule, seated: number): RuleLabel | null {
	try {
		return ruleLabelKey(rule, seated);
	} catch {
		return null;
	}
}

/** The `changes` of an edit event: field → {before, after}. */
function changesOf(payload: Record<string, unknown>): Record<string, { before: unknown; after: unknown } | undefined> {
	const changes = payload.changes;
	return changes && typeof changes === 'object' ? (changes as Record<string, { before: unknown; after: unknown }>) : {};
}

/** The latest closed or voided vote of the sitting, from its detail (the page's first load). */
function lastOutcome(detail: SittingDetail): VoteOutcome | null {
	const done = detail.votes.filter((v) => v.status !== 'open' && v.result);
	const last = done[done.length - 1];
	if (!last) return null;
	const result = last.result as Record<string, unknown>;
	return { ...(result as object), voteId: last.voteId, itemId: last.itemId, status: last.status === 'void' ? 'void' : 'closed', question: last.question } as VoteOutcome;
}

/**
 * A sitting kept live in the browser: starts from the server's snapshot, then follows ONE subscription to
 * `sitting.events` and patches its state from each event's payload. Every patch is idempotent, so an event
 * that the snapshot already reflects does no harm; tRPC resumes from the last event id after a reconnect.
 */
export class LiveSitting {
	detail: SittingDetail = $state() as SittingDetail;
	snapshot: SittingSnapshot = $state() as SittingSnapshot;
	openVote: OpenVote | null = $state(null);
	lastResult: VoteOutcome | null = $state(null);
	/**
	 * The last result takes the vote card's place on every screen from the close until the chair moves on: opens
	 * another vote or goes to another agenda item (before, it sat below the fold under an empty "open a vote" form).
	 */
	resultHeld = $state(false);
	connection: ConnectionState = $state('connecting');
	/** The last change worth announcing to screen readers (polite live region). */
	announcement = $state('');
	/** The last event sequence applied. */
	seq = $state(0);

	readonly userId: string;
	#t: Translate;
	#listeners: ((event: SittingEventMessage) => void)[] = [];

	constructor(data: SittingPageData, t: Translate) {
		this.userId = data.userId;
		this.#t = t;
		this.detail = structuredClone(data.detail);
		this.snapshot = structuredClone(data.snapshot);
		this.seq = data.snapshot.lastEventId;
		this.openVote = data.openVote && data.openVote.status === 'open' ? openVoteFromView(data.openVote, data.snapshot.seated, data.snapshot.present) : null;
		this.lastResult = lastOutcome(data.detail);
		// On a (re)load the stream's history is not replayed: the result is still "on stage" when no vote is open and
		// the sitting is still on the item it was voted under.
		this.resultHeld = !this.openVote && !!this.lastResult && this.lastResult.itemId === data.detail.currentItemId;
	}

	get status(): SittingStatus {
		return this.snapshot.status;
	}

	get agenda(): AgendaItem[] {
		return this.detail.agenda;
	}

	get currentItem(): AgendaItem | null {
		return this.detail.agenda.find((a) => a.id === this.snapshot.currentItemId) ?? null;
	}

	get floor(): FloorSnapshot {
		return this.snapshot.floor;
	}

	get myAttendance(): AttendanceStatus | null {
		return (this.detail.attendance.find((a) => a.userId === this.userId)?.status ?? null) as AttendanceStatus | null;
	}

	get amCheckedIn(): boolean {
		const s = this.myAttendance;
		return s === 'present_hall' || s === 'present_remote';
	}

	/** Lets a screen react to events too (e.g. the chair fetches who voted what after an open vote closes). */
	onEvent(listener: (event: SittingEventMessage) => void): () => void {
		this.#listeners.push(listener);
		return () => {
			this.#listeners = this.#listeners.filter((l) => l !== listener);
		};
	}

	/** Opens the screen's one subscription; returns the function that closes it. */
	connect(): () => void {
		this.connection = 'connecting';
		const sub = trpc.sitting.events.subscribe(
			{ sittingId: this.detail.id, lastEventId: String(this.seq) },
			{
				...connectionTracker((state) => (this.connection = state)),
				onData: (envelope) => {
					this.connection = 'live';
					this.apply(envelope.data as SittingEventMessage);
				}
			}
		);
		return () => sub.unsubscribe();
	}

	/** Patches the local state from one event (exported for the unit test). */
	apply(event: SittingEventMessage): void {
		if (event.seq <= this.seq) return;
		this.seq = event.seq;
		const p = event.payload;
		const t = this.#t;
		switch (event.type) {
			case 'agenda.itemAdded': {
				const id = String(p.itemId);
				if (!this.detail.agenda.some((a) => a.id === id)) {
					this.detail.agenda.push({
						id,
						position: Number(p.position),
						kind: p.kind as AgendaItem['kind'],
						title: String(p.title),
						presenter: (p.presenter as string | null) ?? null,
						plannedMinutes: (p.plannedMinutes as number | null) ?? null
					});
					this.detail.agenda.sort((a, b) => a.position - b.position);
				}
				break;
			}
			case 'agenda.reordered': {
				const ids = p.itemIds as string[];
				const ordered = ids.map((id) => this.detail.agenda.find((a) => a.id === id)).filter((a): a is AgendaItem => !!a);
				ordered.forEach((a, i) => (a.position = i + 1));
				const rest = this.detail.agenda.filter((a) => !ids.includes(a.id));
				this.detail.agenda = [...ordered, ...rest];
				break;
			}
			case 'sitting.status': {
				const status = p.status as SittingStatus;
				this.snapshot.status = status;
				this.detail.status = status;
				if (status === 'closed') this.snapshot.floor = { speaker: null, queue: [] };
				this.announcement = `${t('sui.status')}: ${t('sittingStatus.' + status)}`;
				break;
			}
			case 'sitting.currentItem': {
				if (String(p.itemId) !== this.snapshot.currentItemId) this.resultHeld = false;
				this.snapshot.currentItemId = String(p.itemId);
				this.detail.currentItemId = String(p.itemId);
				this.announcement = `${t('sui.currentItem')}: ${String(p.title)}`;
				break;
			}
			case 'attendance.changed': {
				const row = this.detail.attendance.find((a) => a.userId === p.userId);
				if (row) {
					row.status = p.status as AttendanceStatus;
					row.reason = (p.reason as string | null) ?? null;
				}
				const wasMet = this.snapshot.quorumMet;
				this.snapshot.present = Number(p.present);
				this.snapshot.seated = Number(p.seated);
				this.snapshot.required = Number(p.required);
				this.snapshot.quorumMet = Boolean(p.quorumMet);
				if (this.openVote) this.openVote.present = Number(p.present);
				if (wasMet !== this.snapshot.quorumMet) this.announcement = this.quorumText();
				break;
			}
			case 'floor.changed': {
				const floor = p.floor as FloorSnapshot;
				const before = this.snapshot.floor.speaker?.requestId;
				this.snapshot.floor = floor;
				if (floor.speaker && floor.speaker.requestId !== before) this.announcement = t('sui.floorGranted', { name: floor.speaker.fullName });
				break;
			}
			case 'vote.opened': {
				const rule = (p.rule ?? null) as PassRule | null;
				this.openVote = {
					voteId: String(p.voteId),
					itemId: String(p.itemId),
					question: String(p.question),
					kind: p.kind as OpenVote['kind'],
					ballotType: p.ballotType as OpenVote['ballotType'],
					options: (p.options ?? null) as BallotOptions,
					rule,
					ruleLabel: (p.ruleLabel as RuleLabel | undefined) ?? (rule ? safeRuleLabel(rule, Number(p.seated)) : null),
					closesAt: (p.closesAt as string | null) ?? null,
					seated: Number(p.seated),
					present: Number(p.present),
					voted: Number(p.voted ?? 0),
					iHaveVoted: false,
					encrypted: (p.encrypted as OpenVote['encrypted'] | undefined) ?? null
				};
				this.snapshot.openVote = { voteId: this.openVote.voteId, question: this.openVote.question, kind: this.openVote.kind, itemId: this.openVote.itemId, voted: 0, closesAt: this.openVote.closesAt };
				this.resultHeld = false;
				this.announcement = t('sui.voteOpened', { question: String(p.question) });
				break;
			}
			case 'vote.ballot': {
				if (this.openVote && this.openVote.voteId === p.voteId) {
					this.openVote.voted = Number(p.voted);
					this.openVote.present = Number(p.present);
				}
				if (this.snapshot.openVote && this.snapshot.openVote.voteId === p.voteId) this.snapshot.openVote.voted = Number(p.voted);
				break;
			}
			// An encrypted secret vote's casting closed (issue 17): no more ballots; the result comes with the count.
			case 'vote.counting': {
				if (this.openVote && this.openVote.voteId === p.voteId) {
					this.openVote.counting = true;
					this.openVote.voted = Number(p.voted);
				}
				break;
			}
			case 'vote.closed': {
				const result = p.result as Record<string, unknown>;
				const ended = this.openVote?.voteId === p.voteId ? this.openVote : null;
				// The public summary may not repeat the question and item: this screen knew them from the open vote.
				this.lastResult = { question: ended?.question, itemId: ended?.itemId ?? this.snapshot.currentItemId, ...(result as object), voteId: String(p.voteId), status: 'closed' } as VoteOutcome;
				this.resultHeld = true;
				this.#endVote(String(p.voteId));
				const verdict = this.lastResult.passed === undefined ? t('voteStatus.closed') : t(this.lastResult.passed ? 'result.passed' : 'result.failed');
				this.announcement = t('sui.voteClosedAnn', { verdict });
				break;
			}
			case 'vote.voided': {
				this.lastResult = { voteId: String(p.voteId), itemId: this.openVote?.itemId ?? this.snapshot.currentItemId ?? undefined, status: 'void', reason: String(p.reason), question: this.openVote?.question };
				this.resultHeld = true;
				this.#endVote(String(p.voteId));
				this.announcement = t('sui.voided', { reason: String(p.reason) });
				break;
			}
			case 'document.added': {
				const doc = p as unknown as SittingDocument;
				if (!this.detail.documents.some((d) => d.id === doc.id)) {
					this.detail.documents.push({ id: doc.id, itemId: doc.itemId ?? null, title: doc.title, filename: doc.filename, sizeBytes: doc.sizeBytes, sha256: doc.sha256, uploadedAt: doc.uploadedAt });
					this.announcement = t('sui.docAdded', { title: doc.title });
				}
				break;
			}
			// Edits and corrections (sitting.update, sitting.updateAgendaItem, …): each carries only what changed.
			case 'sitting.updated': {
				const c = changesOf(p);
				if (c.title) this.detail.title = String(c.title.after);
				if (c.startsAt) this.detail.startsAt = String(c.startsAt.after);
				if (c.venue) this.detail.venue = (c.venue.after as string | null) ?? null;
				if (c.title) this.announcement = t('sui.edit.sittingRenamed', { title: String(c.title.after) });
				break;
			}
			case 'agenda.itemUpdated': {
				const item = this.detail.agenda.find((a) => a.id === p.itemId);
				const c = changesOf(p);
				if (item) {
					if (c.title) item.title = String(c.title.after);
					if (c.kind) item.kind = c.kind.after as AgendaItem['kind'];
					if (c.presenter) item.presenter = (c.presenter.after as string | null) ?? null;
					if (c.plannedMinutes) item.plannedMinutes = (c.plannedMinutes.after as number | null) ?? null;
					if (c.title) this.announcement = t('sui.edit.itemRenamed', { title: item.title });
				}
				break;
			}
			case 'agenda.itemRemoved': {
				const ids = (p.itemIds as string[] | undefined) ?? [];
				const detached = (p.detachedDocumentIds as string[] | undefined) ?? [];
				this.detail.agenda = this.detail.agenda.filter((a) => a.id !== p.itemId);
				this.detail.agenda.forEach((a) => {
					const at = ids.indexOf(a.id);
					if (at >= 0) a.position = at + 1;
				});
				this.detail.agenda.sort((a, b) => a.position - b.position);
				for (const d of this.detail.documents) if (detached.includes(d.id) || d.itemId === p.itemId) d.itemId = null;
				break;
			}
			case 'document.updated': {
				const doc = this.detail.documents.find((d) => d.id === p.documentId);
				const c = changesOf(p);
				if (doc) {
					if (c.title) doc.title = String(c.title.after);
					if (c.itemId) doc.itemId = (c.itemId.after as string | null) ?? null;
				}
				break;
			}
			case 'document.removed': {
				this.detail.documents = this.detail.documents.filter((d) => d.id !== p.documentId);
				break;
			}
			// The signed head of the chain after a close: kept on this device (issue 17; loaded only when one comes).
			case 'chain.anchor': {
				void import('$lib/chain-anchors/keep').then((m) => m.keepAnchor(p));
				break;
			}
			default:
				break;
		}
		for (const listener of this.#listeners) listener(event);
	}

	#endVote(voteId: string) {
		if (this.openVote?.voteId === voteId) this.openVote = null;
		if (this.snapshot.openVote?.voteId === voteId) this.snapshot.openVote = null;
	}

	quorumText(): string {
		const s = this.snapshot;
		return this.#t(s.quorumMet ? 'quorum.met' : 'quorum.notMet', { present: s.present, seated: s.seated, required: s.required });
	}

	/** This screen moves on from the held result (the chair's "open another vote"); other screens are not told. */
	releaseResult() {
		this.resultHeld = false;
	}

	/** Records the signed-in delegate's own ballot (the stream only says how many have voted). */
	markVoted(voteId: string) {
		if (this.openVote?.voteId === voteId) this.openVote.iHaveVoted = true;
	}

	/** The delegate's own attendance, before the event confirms it (the event carries the same). */
	setMyAttendance(status: AttendanceStatus) {
		const row = this.detail.attendance.find((a) => a.userId === this.userId);
		if (row) row.status = status;
	}
}
