import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { listen } from '../../bench/lib/sse-listener';
import { freePort } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { until } from '../helpers/until';

// `npm run dev` is what `npm start` is, with Vite's dev server in place of the build (issue 20): its own embedded
// PostgreSQL with demo data, and the ballot and the live feed answered by the same node:http route before
// SvelteKit. A sitting is run over HTTP on it: a vote opened, a ballot cast, the count seen live.

describe('npm run dev', () => {
	it('serves a sitting with live voting on its embedded PostgreSQL, and stops cleanly', async () => {
		const dataDir = path.resolve('tests/.tmp', `dev-${process.pid}`);
		rmSync(dataDir, { recursive: true, force: true });
		const port = await freePort();
		let output = '';
		const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
			env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LIVEKIT_EMBEDDED: '0', DEMO: '1' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout!.on('data', (d) => (output += d));
		child.stderr!.on('data', (d) => (output += d));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const url = `http://127.0.0.1:${port}`;
		try {
			await until(async () => child.exitCode === null && (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)), `the dev server answers:\n${output}`, 120_000);

			const chair = new HttpClient(url);
			await chair.login('chair.26743');
			const councilId = (await chair.query<{ id: string; code: string }[]>('council.list')).find((c) => c.code === '26743')!.id;
			const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp thử npm run dev', startsAt: new Date().toISOString() });
			const { itemId } = await chair.mutation<{ itemId: string }>('sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình dự thảo nghị quyết' });
			await chair.mutation('sitting.convene', { sittingId });
			// A quorum (20 of the ward's 30) checks in.
			const present: HttpClient[] = [];
			for (let i = 1; i <= 20; i++) {
				const client = new HttpClient(url);
				await client.login(`delegate.26743.${i}`);
				await client.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
				present.push(client);
			}
			const delegate = present[0];
			await chair.mutation('sitting.start', { sittingId });
			await chair.mutation('sitting.setCurrentItem', { sittingId, itemId });

			// The chair's screen follows the sitting live while the delegate votes.
			const seen: string[] = [];
			const controller = new AbortController();
			await listen(`${url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId }))}`, { cookie: chair.cookie }, controller.signal, (data) => seen.push(data));
			const { voteId } = await chair.mutation<{ voteId: string }>('vote.open', { sittingId, itemId, question: 'Thông qua nghị quyết?', kind: 'open', rule: 'majority' });
			// A single (not batched) vote.cast: the call the direct route answers.
			const cast = await fetch(`${url}/api/trpc/vote.cast`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: delegate.cookie }, body: JSON.stringify({ voteId, choice: 'yes' }) });
			expect(cast.status).toBe(200);
			expect(await cast.json()).toEqual({ result: { data: { accepted: true } } });
			await until(() => seen.some((data) => data.includes('"vote.ballot"')), 'the ballot reaches the chair live', 10_000);
			const ballot = JSON.parse(seen.find((data) => data.includes('"vote.ballot"'))!) as { type: string; payload: { voteId: string; voted: number; present: number } };
			expect(ballot.type).toBe('vote.ballot');
			expect(ballot.payload).toEqual({ voteId, voted: 1, present: 20 });
			controller.abort();
		} finally {
			child.kill('SIGTERM');
			const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
			expect(code, output).toBe(0);
			expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 240_000);
});
