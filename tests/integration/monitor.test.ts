import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';
import { monitorOverview } from '../../app/lib/server/monitor/overview';
import type { MonitorBatch } from '../../app/lib/server/monitor/hub';

type Envelope = [string, MonitorBatch];

/** Generated data for every council: sittings in all states, tasks on time/overdue/done, petitions, consultations. */
async function generate() {
	const councils = await db().selectFrom('councils').select(['id', 'code']).orderBy('code').execute();
	const admin = (await db().selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
	const now = Date.now();
	const day = 86_400_000;
	const sittings: { council_id: string; kind: 'regular'; number: number; title: string; starts_at: Date; status: 'draft' | 'convened' | 'closed' }[] = [];
	const tasks: { council_id: string; resolution_ref: string; title: string; agency: string; deadline: Date; status: 'open' | 'done'; progress: number; completed_at: Date | null }[] = [];
	const petitions: { council_id: string; topic: string; area: string; text: string; status: 'received' | 'assigned' | 'answered' }[] = [];
	const consultations: { council_id: string; title: string; question: string; deadline: Date; seated: number; status: 'open' | 'closed' }[] = [];
	councils.forEach((c, i) => {
		const n = i % 5;
		for (let k = 0; k < n; k++) sittings.push({ council_id: c.id, kind: 'regular', number: 100 + k, title: `Kỳ họp ${k}`, starts_at: new Date(now - k * 20 * day), status: k === 0 ? 'draft' : 'closed' });
		if (i % 7 === 0) sittings.push({ council_id: c.id, kind: 'regular', number: 200, title: 'Triệu tập', starts_at: new Date(now + 2 * day), status: 'convened' });
		for (let k = 0; k < i % 4; k++) tasks.push({ council_id: c.id, resolution_ref: `0${k}/2026/NQ-HĐND`, title: `Nhiệm vụ ${k}`, agency: 'UBND', deadline: new Date(now + (k % 2 ? -1 : 1) * 10 * day), status: 'open', progress: 10, completed_at: null });
		if (i % 3 === 0) tasks.push({ council_id: c.id, resolution_ref: '09/2026/NQ-HĐND', title: 'Xong', agency: 'UBND', deadline: new Date(now - day), status: 'done', progress: 100, completed_at: new Date(now - 2 * day) });
		for (let k = 0; k < i % 3; k++) petitions.push({ council_id: c.id, topic: 'Giao thông', area: 'Khu phố 1', text: 'Sửa đường', status: (['received', 'assigned', 'answered'] as const)[k] });
		if (i % 11 === 0) consultations.push({ council_id: c.id, title: 'Xin ý kiến', question: '?', deadline: new Date(now + day), seated: 30, status: 'open' });
	});
	await db().insertInto('sittings').values(sittings.map((s) => ({ ...s, created_by: admin }))).execute();
	await db().insertInto('followup_tasks').values(tasks).execute();
	await db().insertInto('petitions').values(petitions).execute();
	await db().insertInto('consultations').values(consultations).execute();
}

describe('monitor.overview', () => {
	it('has exactly one row per council (169) whose counts match the database', async () => {
		await generate();
		const monitor = await as('monitor.city');
		const { rows, totals } = await monitor.monitor.overview();
		expect(rows).toHaveLength(169);
		expect(new Set(rows.map((r) => r.councilId)).size).toBe(169);
		expect(rows[0].kind).toBe('city');

		// Independent counts, one simple query per table.
		const count = async (q: Promise<{ council_id: string; n: number }[]>) => new Map((await q).map((r) => [r.council_id, r.n]));
		const { rows: sittingsTerm } = await sql<{ council_id: string; n: number }>`select council_id, count(*)::int n from sittings where starts_at >= '2025-07-01T00:00:00+07:00' group by council_id`.execute(db());
		const term = new Map(sittingsTerm.map((r) => [r.council_id, r.n]));
		const overdue = await count(
			db().selectFrom('followup_tasks').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'open').where('deadline', '<=', new Date()).groupBy('council_id').execute()
		);
		const onTime = await count(
			db().selectFrom('followup_tasks').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'open').where('deadline', '>', new Date()).groupBy('council_id').execute()
		);
		const done = await count(db().selectFrom('followup_tasks').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'done').groupBy('council_id').execute());
		const petitions = await count(db().selectFrom('petitions').select(['council_id', sql<number>`count(*)::int`.as('n')]).groupBy('council_id').execute());
		const pending = await count(
			db().selectFrom('petitions').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', 'in', ['received', 'assigned']).groupBy('council_id').execute()
		);
		const consultations = await count(db().selectFrom('consultations').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'open').groupBy('council_id').execute());
		const seated = await count(
			db().selectFrom('council_members').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('role', '=', 'delegate').where('active', '=', true).groupBy('council_id').execute()
		);
		const convened = await count(db().selectFrom('sittings').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'convened').groupBy('council_id').execute());
		const resolutions = await count(db().selectFrom('resolutions').select(['council_id', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'issued').groupBy('council_id').execute());

		let checked = 0;
		for (const r of rows) {
			const id = r.councilId;
			expect(r.sittings.term, r.code).toBe(term.get(id) ?? 0);
			expect(r.tasks.overdue, r.code).toBe(overdue.get(id) ?? 0);
			expect(r.tasks.onTime, r.code).toBe(onTime.get(id) ?? 0);
			expect(r.tasks.done, r.code).toBe(done.get(id) ?? 0);
			expect(r.petitions.total, r.code).toBe(petitions.get(id) ?? 0);
			expect(r.petitions.pending, r.code).toBe(pending.get(id) ?? 0);
			expect(r.consultationsOpen, r.code).toBe(consultations.get(id) ?? 0);
			expect(r.seated, r.code).toBe(seated.get(id) ?? 0);
			expect(r.resolutions.issued, r.code).toBe(resolutions.get(id) ?? 0);
			expect(r.status, r.code).toBe(convened.get(id) ? 'convened' : 'idle');
			checked++;
		}
		expect(checked).toBe(169);
		expect(totals.tasksOverdue).toBe([...overdue.values()].reduce((a, b) => a + b, 0));
		expect(rows.find((r) => r.code === 'city')!.seated).toBe(95);
	});

	it('shows a sitting in progress with its current item, quorum and open vote', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(21);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua dự thảo nghị quyết', kind: 'open' });
		await (await as('delegate.26743.1')).vote.cast({ voteId, choice: 'yes' });
		const councilId = await councilIdOf('26743');
		const [row] = await monitorOverview(db(), [councilId]);
		expect(row.status).toBe('voting');
		expect(row.live).toMatchObject({ sittingId, currentItem: 'Tờ trình dự thảo nghị quyết', present: 21, required: 20, quorumMet: true, vote: { voteId, voted: 1 } });
	});
});

describe('monitor.events', () => {
	it('delivers a vote opened in a ward, and its count, to a subscriber of the one city-wide stream', async () => {
		const monitor = await as('monitor.city');
		const stream = (await monitor.monitor.events()) as AsyncIterable<Envelope>;
		const it = stream[Symbol.asyncIterator]();
		const [, first] = (await it.next()).value as Envelope;
		expect(first.full).toBe(true);
		expect(first.rows).toHaveLength(169);

		const { sittingId, itemId, chair } = await sittingInProgress(20, '26737');
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Biểu quyết thông qua', kind: 'open' });
		const waitFor = async (pred: (b: MonitorBatch) => boolean) => {
			for (let i = 0; i < 50; i++) {
				const [id, batch] = (await it.next()).value as Envelope;
				expect(id).toBe(String(batch.version));
				expect(batch.rows.length).toBeLessThan(169); // only changed councils, not all 169
				if (pred(batch)) return batch;
			}
			throw new Error('no matching batch');
		};
		const opened = await waitFor((b) => b.rows.some((r) => r.code === '26737' && r.live?.vote?.voteId === voteId));
		expect(opened.rows.find((r) => r.code === '26737')!.status).toBe('voting');

		for (const u of delegates('26737').slice(0, 3)) await (await as(u)).vote.cast({ voteId, choice: 'yes' });
		await waitFor((b) => b.rows.some((r) => r.code === '26737' && r.live?.vote?.voted === 3));
		await it.return?.(undefined);
	});
});

describe('authorisation', () => {
	it('keeps the dashboard to the city roles, and the monitor out of a ward sitting', async () => {
		const chair = await as('chair.26743');
		await expect(chair.monitor.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(chair.monitor.council({ councilId: await councilIdOf('26743') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26743.1')).monitor.events()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await (await as('admin')).monitor.overview()).rows).toHaveLength(169);

		const { sittingId, itemId } = await sittingInProgress(20, '26758');
		const monitor = await as('monitor.city');
		// Reads the ward's sitting …
		expect((await monitor.sitting.state({ sittingId })).status).toBe('in_progress');
		// … and changes nothing in it.
		await expect(monitor.vote.open({ sittingId, itemId, question: 'x', kind: 'open' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(monitor.sitting.close({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(monitor.attendance.checkIn({ sittingId, mode: 'hall' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('gives the drill-down figures over 12 months', async () => {
		await sittingInProgress(20);
		const detail = await (await as('monitor.city')).monitor.council({ councilId: await councilIdOf('26743') });
		expect(detail.series).toHaveLength(12);
		expect(detail.row.code).toBe('26743');
		expect(detail.sittings.length).toBeGreaterThan(0);
	});
});
