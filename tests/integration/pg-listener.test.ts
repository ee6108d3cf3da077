import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { onAuthChange } from '../../app/lib/server/auth/cached-sessions';
import type { ConsultationResult } from '../../app/lib/server/consultations/feed';
import { cityHub, stopCityHub, type MonitorBatch } from '../../app/lib/server/monitor/hub';
import type { NotificationView } from '../../app/lib/server/notifications/service';
import { LISTENER_APPLICATION_NAME, PgListener, pgListener, stopPgListener } from '../../app/lib/server/realtime/pg-listener';
import { onSittingNotice, sittingHub, stopSittingHub } from '../../app/lib/server/realtime/sitting-hub';
import type { SittingEvent } from '../../app/lib/server/sittings/events';
import { as, db, userIdOf } from '../helpers/callers';
import { checkIn, convenedSitting, delegates } from '../helpers/sittings';
import { until } from '../helpers/until';

// Every module that reacts to PostgreSQL notices (sitting events, the city view with its consultations and
// notification centres, the session cache) subscribes to the process's one LISTEN connection
// (app/lib/server/realtime/pg-listener.ts). Killed under them, it comes back by itself and every one hears again.

const abort = new AbortController();
afterAll(async () => {
	abort.abort();
	await stopSittingHub();
	await stopCityHub();
	await stopPgListener();
});

/** Collects what an endless stream yields, in the background, until the test ends. */
function collect<T>(stream: AsyncGenerator<T>): T[] {
	const seen: T[] = [];
	void (async () => {
		for await (const item of stream) seen.push(item);
	})();
	return seen;
}

/** The app's LISTEN connections on this test's database: by name, and by their last statement. */
async function listenConnections() {
	const { rows } = await sql<{ pid: number; named: boolean }>`
		select pid, application_name = ${LISTENER_APPLICATION_NAME} as named from pg_stat_activity
		where datname = current_database() and pid <> pg_backend_pid() and (application_name = ${LISTENER_APPLICATION_NAME} or query ilike 'listen %')`.execute(db());
	return rows;
}

describe('the one LISTEN connection', () => {
	it('serves every subscriber, and after it is killed every subscriber hears notices again', async () => {
		const { councilId, sittingId, chair } = await convenedSitting();
		const [first, second, third, fourth] = delegates();
		const chairId = await userIdOf('chair.26743');
		const { consultationId } = await chair.consultation.create({ councilId, title: 'Ý kiến về dự thảo quy chế', question: 'Đồng ý thông qua?', deadline: new Date(Date.now() + 3_600_000) });

		// Every kind of subscriber, as the app's screens and guards make them.
		let authChanges = 0;
		onAuthChange(() => authChanges++);
		const notices: string[] = [];
		onSittingNotice((id) => notices.push(id));
		const events = collect<SittingEvent>(sittingHub().stream(sittingId, 0, abort.signal));
		const batches = collect<MonitorBatch>(cityHub().monitorStream(abort.signal));
		const results = collect<ConsultationResult>(cityHub().consultationStream(consultationId, chairId, abort.signal));
		const inbox = collect<NotificationView>(cityHub().notificationStream(chairId, abort.signal));
		await until(() => pgListener().listening && events.length > 0 && batches.length > 0 && results.length > 0, 'every subscriber is listening');

		// One connection for all of them: none of the modules opens its own.
		const before = await listenConnections();
		expect(before).toEqual([{ pid: expect.any(Number), named: true }]);

		/** A change of each kind reaches its subscriber through a notice (not through this process's own shortcut). */
		async function everyoneHears(delegate: string, answerer: string) {
			const heard = { auth: authChanges, notices: notices.length, events: events.length, batches: batches.length, inbox: inbox.length };
			const answered = results.at(-1)!.answered + 1;
			await sql`select pg_notify('auth_changed', 'probe')`.execute(db());
			await checkIn(sittingId, [delegate]);
			await (await as(answerer)).consultation.answer({ consultationId, choice: 'agree' });
			await (await as(delegate)).petition.create({ councilId, topic: 'Chiếu sáng', area: 'Khu phố 3', text: 'Lắp đèn đường hẻm 12' });
			await until(() => authChanges > heard.auth, 'the auth change notice');
			await until(() => notices.slice(heard.notices).includes(sittingId), 'the sitting event notice');
			await until(() => events.length > heard.events, 'the check-in on the sitting stream');
			await until(() => batches.slice(heard.batches).some((b) => !b.full && b.rows.some((r) => r.councilId === councilId)), "the council's row on the dashboard");
			await until(() => results.at(-1)!.answered === answered, 'the answer on the live consultation result');
			await until(() => inbox.slice(heard.inbox).some((n) => n.kind === 'petition.created'), "the petition in the chair's notification centre");
		}
		await everyoneHears(first, second);

		// Killed under them: the listener reconnects by itself, still one connection, and every subscriber hears again.
		const batchesBefore = batches.length;
		await sql`select pg_terminate_backend(${before[0].pid})`.execute(db());
		await until(async () => {
			const now = await listenConnections();
			return now.length === 1 && now[0].pid !== before[0].pid && pgListener().listening;
		}, 'the listener is back on a new connection');
		expect(await listenConnections()).toEqual([{ pid: expect.any(Number), named: true }]);
		// What it may have missed meanwhile is caught up: the dashboards get every council again.
		await until(() => batches.slice(batchesBefore).some((b) => b.full && b.rows.length === 169), 'a full dashboard after the reconnection');
		await everyoneHears(third, fourth);
		expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => events[0].seq + i));
	});

	it('shares its one connection among every channel\'s subscribers, keeps a broken one from the others, and closes when the last one leaves', async () => {
		const name = 'nts-listener-probe';
		const listener = new PgListener({ connectionString: process.env.DATABASE_URL!, applicationName: name });
		const backends = async () =>
			(await sql<{ query: string }>`select query from pg_stat_activity where application_name = ${name} and datname = current_database()`.execute(db())).rows;
		const heard: string[] = [];
		const a = listener.subscribe('probe_a', { notify: (p) => heard.push(`a1:${p}`) });
		const b = listener.subscribe('probe_a', {
			notify: () => {
				throw new Error('a broken subscriber');
			}
		});
		const c = listener.subscribe('probe_a', { notify: (p) => heard.push(`a2:${p}`) });
		const d = listener.subscribe('probe_b', { notify: (p) => heard.push(`b:${p}`) });
		await Promise.all([a.ready, b.ready, c.ready, d.ready]);
		expect([a, b, c, d].map((s) => s.listening)).toEqual([true, true, true, true]);
		expect(await backends()).toHaveLength(1);

		await sql`select pg_notify('probe_a', '1'), pg_notify('probe_b', '2')`.execute(db());
		await until(() => heard.length === 3, 'three deliveries');
		expect(heard.sort()).toEqual(['a1:1', 'a2:1', 'b:2']);

		// A closed subscription hears nothing more; the others still do.
		a.close();
		expect(a.listening).toBe(false);
		await sql`select pg_notify('probe_a', '3')`.execute(db());
		await until(() => heard.length === 4, 'one more delivery');
		expect(heard.at(-1)).toBe('a2:3');

		// The last one gone, the connection goes too.
		for (const s of [b, c, d]) s.close();
		await until(async () => (await backends()).length === 0, 'the connection closed');
		expect(listener.listening).toBe(false);
		await listener.stop();
	});
});
