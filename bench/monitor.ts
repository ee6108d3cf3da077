// `npm run bench:monitor`: the city dashboard's first load with the demo data plus a generated year of history
// for all 169 councils (monthly sittings with agenda, attendance, votes and ballots, resolutions, follow-up tasks,
// petitions; some sittings in progress with an open vote). Measures the server's response to GET /monitor (the
// page, whose load runs monitor.overview) and to monitor.overview over HTTP. Target: ≤ 1 s.
// Writes bench/results/monitor.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../db/client';
import { buildIfStale } from '../scripts/build-if-stale';
import { startAppServer } from '../tests/helpers/app-server';
import { ownDatabase } from '../tests/helpers/own-database';
import { privateBuildCopy } from './lib/private-build';
import { machine, summary } from './lib/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TARGET_MS = 1000;
const root = path.resolve(import.meta.dirname, '..');
const log = (m: string) => process.stderr.write(`[bench:monitor] ${m}\n`);
type Db = ReturnType<typeof createDb>['db'];

/** A year of history, generated in the database (set-based SQL, seconds not minutes). */
async function generateYear(db: Db) {
	await sql`
		insert into sittings (council_id, kind, number, title, starts_at, ends_at, status, created_at, convened_at, started_at, closed_at)
		select c.id, 'regular', m, 'Kỳ họp thứ ' || m, t, t + interval '4 hours', 'closed', t - interval '10 days', t - interval '7 days', t, t + interval '4 hours'
		from councils c, generate_series(1, 12) m, lateral (select date_trunc('month', now()) - make_interval(months => 12 - m) + interval '9 days 1 hour' as t) x`.execute(db);
	await sql`
		insert into agenda_items (sitting_id, position, kind, title)
		select s.id, p, case when p = 1 then 'report' else 'submission' end, 'Nội dung ' || p from sittings s, generate_series(1, 3) p`.execute(db);
	await sql`
		insert into attendance (sitting_id, user_id, status)
		select s.id, m.user_id, case when random() < 0.85 then 'present_hall' when random() < 0.5 then 'present_remote' else 'absent_excused' end
		from sittings s join council_members m on m.council_id = s.council_id and m.role = 'delegate'`.execute(db);
	await sql`
		insert into votes (sitting_id, item_id, council_id, question, kind, ballot_type, rule, status, opened_at, closed_at, ballots_cast, result)
		select s.id, a.id, s.council_id, 'Biểu quyết ' || a.title, 'open', 'yes_no_abstain', '"majority"', 'closed', s.started_at + make_interval(mins => a.position * 30),
			s.started_at + make_interval(mins => a.position * 30 + 5), 0, '{}'
		from sittings s join agenda_items a on a.sitting_id = s.id and a.kind = 'submission'`.execute(db);
	await sql`
		insert into open_ballots (vote_id, user_id, choice, cast_at)
		select v.id, a.user_id, case when random() < 0.8 then '"yes"'::jsonb else '"no"'::jsonb end, v.opened_at + interval '1 minute'
		from votes v join attendance a on a.sitting_id = v.sitting_id and a.status in ('present_hall', 'present_remote')`.execute(db);
	await sql`update votes v set ballots_cast = (select count(*) from open_ballots b where b.vote_id = v.id)`.execute(db);
	await sql`
		insert into resolutions (council_id, sitting_id, item_id, title, body, status, vote_id, number, year, seq, adopted_at, signed_at, issued_at, short_code)
		select v.council_id, v.sitting_id, v.item_id, 'Nghị quyết về ' || v.question, '{}', (array['adopted', 'signed', 'issued', 'issued'])[1 + (row_number() over () % 4)],
			v.id, (row_number() over (partition by v.council_id order by v.opened_at)) || '/' || extract(year from v.opened_at) || '/NQ-HĐND-' || v.id, extract(year from v.opened_at), 1,
			v.closed_at, v.closed_at + interval '1 day', v.closed_at + interval '2 days', md5(v.id::text)
		from votes v`.execute(db);
	await sql`
		insert into followup_tasks (council_id, resolution_id, resolution_ref, title, agency, deadline, progress, status, completed_at, created_at)
		select r.council_id, r.id, r.number, 'Tổ chức thực hiện ' || r.title, 'UBND', r.adopted_at + make_interval(days => 30 + (random() * 300)::int),
			(random() * 100)::int, case when random() < 0.5 then 'done' else 'open' end, null, r.adopted_at
		from resolutions r`.execute(db);
	await sql`update followup_tasks set progress = 100, completed_at = deadline - interval '2 days' where status = 'done'`.execute(db);
	await sql`
		insert into petitions (council_id, topic, area, text, status, created_at)
		select c.id, 'Kiến nghị ' || n, 'Khu phố ' || (n % 7 + 1), 'Nội dung kiến nghị cử tri số ' || n,
			(array['received', 'assigned', 'answered', 'closed'])[1 + n % 4], now() - make_interval(days => n * 12)
		from councils c, generate_series(1, 30) n`.execute(db);
	// Today: 20 councils in session, half of them voting.
	const live = await db.selectFrom('councils').select('id').where('kind', '!=', 'city').orderBy('code').limit(20).execute();
	for (const [i, c] of live.entries()) {
		const s = await db
			.insertInto('sittings')
			.values({ council_id: c.id, kind: 'thematic', number: 100, title: 'Kỳ họp chuyên đề', starts_at: new Date(), status: 'in_progress', started_at: new Date() })
			.returning('id')
			.executeTakeFirstOrThrow();
		const item = await db.insertInto('agenda_items').values({ sitting_id: s.id, position: 1, kind: 'submission', title: 'Tờ trình' }).returning('id').executeTakeFirstOrThrow();
		await db.updateTable('sittings').set({ current_item_id: item.id }).where('id', '=', s.id).execute();
		await sql`insert into attendance (sitting_id, user_id, status) select ${s.id}, user_id, 'present_hall' from council_members where council_id = ${c.id} and role = 'delegate' limit 25`.execute(db);
		if (i % 2 === 0) {
			await db.insertInto('votes').values({ sitting_id: s.id, item_id: item.id, council_id: c.id, question: 'Thông qua', kind: 'open', ballot_type: 'yes_no_abstain', rule: '"majority"', ballots_cast: 12 }).execute();
		}
	}
	await sql`analyze`.execute(db);
	const count = async (t: string) => Number((await sql<{ n: number }>`select count(*)::int n from ${sql.table(t)}`.execute(db)).rows[0].n);
	return {
		sittings: await count('sittings'),
		agendaItems: await count('agenda_items'),
		attendance: await count('attendance'),
		votes: await count('votes'),
		openBallots: await count('open_ballots'),
		resolutions: await count('resolutions'),
		followupTasks: await count('followup_tasks'),
		petitions: await count('petitions')
	};
}

async function timed(fn: () => Promise<Response>): Promise<{ ms: number; status: number; bytes: number }> {
	const t0 = performance.now();
	const res = await fn();
	const body = await res.arrayBuffer();
	return { ms: performance.now() - t0, status: res.status, bytes: body.byteLength };
}

async function main() {
	const started = Date.now();
	buildIfStale(root, log);
	log('starting PostgreSQL and seeding demo data…');
	const database = await ownDatabase('monitor', 'bench/.tmp');
	const url = database.url;
	const { db } = createDb(url, 10);
	log('generating a year of history for 169 councils…');
	const t0 = Date.now();
	const data = await generateYear(db);
	log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(data)}`);
	const build = privateBuildCopy(root, 'monitor');
	const app = await startAppServer({ databaseUrl: url, env: { BUILD_DIR: build.dir } });
	try {
		const login = await fetch(`${app.url}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'monitor.city', password: 'demo' }) });
		const cookie = login.headers.getSetCookie().find((c) => c.startsWith('nts_session='))!.split(';')[0];
		const headers = { cookie };
		const page = () => fetch(`${app.url}/monitor`, { headers });
		const overview = () => fetch(`${app.url}/api/trpc/monitor.overview`, { headers });

		const firstPage = await timed(page);
		const firstOverview = await timed(overview);
		if (firstPage.status !== 200 || firstOverview.status !== 200) throw new Error(`HTTP ${firstPage.status}/${firstOverview.status}:\n${app.output().slice(-2000)}`);
		const ov = (await (await overview()).json()) as { result: { data: { rows: unknown[]; totals: unknown } } };
		const pageRuns: number[] = [];
		const overviewRuns: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			pageRuns.push((await timed(page)).ms);
			overviewRuns.push((await timed(overview)).ms);
		}
		// The query alone, in the database (EXPLAIN ANALYZE of the same statement is not needed: time the call).
		const { monitorOverview } = await import('../app/lib/server/monitor/overview');
		const queryRuns: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			const q0 = performance.now();
			await monitorOverview(db);
			queryRuns.push(performance.now() - q0);
		}
		const pageSummary = summary(pageRuns);
		const result = {
			benchmark: 'bench:monitor',
			at: new Date().toISOString(),
			machine: await machine(),
			data: { councils: ov.result.data.rows.length, ...data },
			targetMs: TARGET_MS,
			firstLoad: { pageMs: Math.round(firstPage.ms), pageBytes: firstPage.bytes, overviewMs: Math.round(firstOverview.ms), overviewBytes: firstOverview.bytes },
			page: pageSummary,
			overview: summary(overviewRuns),
			overviewQueryOnly: summary(queryRuns),
			totals: ov.result.data.totals,
			targetMet: firstPage.ms <= TARGET_MS && pageSummary.p95 <= TARGET_MS,
			durationSec: Math.round((Date.now() - started) / 1000)
		};
		mkdirSync(path.join(root, 'bench/results'), { recursive: true });
		writeFileSync(path.join(root, 'bench/results/monitor.json'), JSON.stringify(result, null, 2) + '\n');
		log(`first load: page ${result.firstLoad.pageMs} ms, overview ${result.firstLoad.overviewMs} ms; page p50 ${pageSummary.p50} ms p95 ${pageSummary.p95} ms; target ${result.targetMet ? 'met' : 'NOT met'}`);
		process.stdout.write(JSON.stringify(result, null, 2) + '\n');
	} finally {
		await app.stop();
		await db.destroy();
		await database.stop();
		build.remove();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
