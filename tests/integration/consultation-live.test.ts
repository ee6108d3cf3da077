import { describe, expect, it } from 'vitest';
import { createContextInner } from '../../app/lib/server/api/context';
import { createCallerFactory } from '../../app/lib/server/api/init';
import { appRouter } from '../../app/lib/server/api/root';
import { loadUser } from '../../app/lib/server/auth/current-user';
import type { ConsultationResult } from '../../app/lib/server/consultations/feed';
import { cityTick } from '../../app/lib/server/notifications/runner';
import { as, councilIdOf, db, userIdOf } from '../helpers/callers';
import { delegates } from '../helpers/sittings';

type Envelope = [string, ConsultationResult];
type Stream = AsyncIterator<Envelope> & { close: () => void };

/** A subscriber as the HTTP adapter runs one: ended by its request's signal (a pending read then ends too). */
async function subscribe(username: string, consultationId: string): Promise<Stream> {
	const abort = new AbortController();
	const caller = createCallerFactory(appRouter)(createContextInner({ db: db(), user: await loadUser(db(), await userIdOf(username)) }), { signal: abort.signal });
	const stream = (await caller.consultation.events({ consultationId })) as AsyncIterable<Envelope>;
	return Object.assign(stream[Symbol.asyncIterator](), { close: () => abort.abort() });
}

/** The next message, or null if none comes within `ms`. */
async function nextWithin(it: Stream, ms: number): Promise<(ConsultationResult & { at: number; id: string }) | null> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const out = await Promise.race([it.next(), new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
	clearTimeout(timer);
	if (!out || out.done) return null;
	const [id, result] = out.value;
	return { ...result, id, at: Date.now() };
}

/** Messages until one matches (each within `ms`), all of them returned. */
async function until(it: Stream, pred: (r: ConsultationResult) => boolean, ms = 5000) {
	const seen: NonNullable<Awaited<ReturnType<typeof nextWithin>>>[] = [];
	for (;;) {
		const r = await nextWithin(it, ms);
		if (!r) throw new Error(`no matching message; saw ${JSON.stringify(seen.map((s) => s.id))}`);
		seen.push(r);
		if (pred(r)) return seen;
	}
}

describe('consultation.events', () => {
	it('gives the current result, then the counts as delegates answer (coalesced), then closed at the deadline', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		const deadline = new Date(Date.now() + 5000);
		const { consultationId } = await chair.consultation.create({ councilId, title: 'Ý kiến về dự thảo quy chế', question: 'Đồng ý thông qua?', deadline });
		const [first, second] = delegates();
		await (await as(first)).consultation.answer({ consultationId, choice: 'agree' });

		const watch = await subscribe('chair.26743', consultationId);
		const initial = await nextWithin(watch, 3000);
		expect(initial).toMatchObject({ id: '1:open', consultationId, status: 'open', seated: 30, agree: 1, disagree: 0, comment: 0, answered: 1, notAnswered: 29, myAnswer: null });

		// One more answer: the count moves.
		await (await as(second)).consultation.answer({ consultationId, choice: 'disagree' });
		expect((await until(watch, (r) => r.answered === 2)).at(-1)).toMatchObject({ agree: 1, disagree: 1, answered: 2, notAnswered: 28 });

		// A burst of 10 answers from other delegates: every state shown is newer than the last, at most one per 500 ms.
		const burst = delegates().slice(2, 12);
		await Promise.all(burst.map(async (u, i) => (await as(u)).consultation.answer({ consultationId, choice: i % 2 ? 'agree' : 'comment', comment: i % 2 ? undefined : `Góp ý ${i}` })));
		const updates = await until(watch, (r) => r.answered === 12);
		expect(updates.at(-1)).toMatchObject({ agree: 6, disagree: 1, comment: 5, answered: 12, notAnswered: 18, status: 'open' });
		expect(updates.at(-1)!.answers.filter((a) => a.comment)).toHaveLength(5);
		expect(updates.length).toBeLessThan(burst.length);
		const answered = updates.map((u) => u.answered);
		expect(answered).toEqual([...answered].sort((a, b) => a - b));
		for (let i = 1; i < updates.length; i++) expect(updates[i].at - updates[i - 1].at).toBeGreaterThanOrEqual(450);

		// The deadline passes: closed, without any answer or tick.
		const closed = await until(watch, (r) => r.status === 'closed', 6000);
		expect(closed.at(-1)).toMatchObject({ status: 'closed', answered: 12 });
		expect(Date.now()).toBeGreaterThanOrEqual(deadline.getTime());
		// The tick's close changes nothing more: no second "closed".
		await cityTick(db());
		expect(await nextWithin(watch, 1200)).toBeNull();
		watch.close();
		expect(await watch.next()).toMatchObject({ done: true });
	});

	it('tells each viewer their own answer, and ends when the subscriber leaves', async () => {
		const councilId = await councilIdOf('26740');
		const { consultationId } = await (await as('chair.26740')).consultation.create({ councilId, title: 'Lấy ý kiến', question: '?', deadline: new Date(Date.now() + 3_600_000) });
		const mine = await subscribe('delegate.26740.1', consultationId);
		const monitor = await subscribe('monitor.city', consultationId);
		expect(await nextWithin(mine, 3000)).toMatchObject({ answered: 0, myAnswer: null });
		expect(await nextWithin(monitor, 3000)).toMatchObject({ answered: 0 });
		await (await as('delegate.26740.1')).consultation.answer({ consultationId, choice: 'agree' });
		expect(await nextWithin(mine, 3000)).toMatchObject({ answered: 1, myAnswer: 'agree' });
		expect(await nextWithin(monitor, 3000)).toMatchObject({ answered: 1, myAnswer: null });
		mine.close();
		monitor.close();
		expect(await mine.next()).toMatchObject({ done: true });
		expect(await monitor.next()).toMatchObject({ done: true });
	});

	it('refuses a user of another council, and an unknown consultation, like consultation.result', async () => {
		const councilId = await councilIdOf('26743');
		const { consultationId } = await (await as('chair.26743')).consultation.create({ councilId, title: 'Nội bộ phường', question: '?', deadline: new Date(Date.now() + 3_600_000) });
		for (const user of ['delegate.26737.1', 'chair.26737']) {
			await expect((await as(user)).consultation.events({ consultationId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect((await as(user)).consultation.result({ consultationId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		await expect((await as('chair.26743')).consultation.events({ consultationId: '00000000-0000-4000-8000-000000000009' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
