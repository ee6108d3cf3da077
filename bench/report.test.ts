import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README, RESULTS_DIR, differences, loadResults, poolDefaults, renderReport, spliceReadme, type Results } from './report';

// Issue 21: the README's benchmark table is generated from bench/results/*.json; a figure edited by hand, or a
// results file re-recorded without `npm run bench:report`, fails here.

const ROOT = path.resolve(import.meta.dirname, '..');
const readme = fs.readFileSync(README, 'utf8');
const pools = poolDefaults(readme);

/** The generated table's rows as cells (benchmark, figure, results file). */
function rows(report: string): string[][] {
	return report
		.split('\n')
		.filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark ') && !l.startsWith('| ---'))
		.map((l) => l.slice(2, -2).split(' | '));
}

/** A copy of the committed results with one file's JSON changed. */
function withChanged(file: string, change: (json: Record<string, any>) => void): Results {
	const results = loadResults();
	const json = structuredClone(results.get(file)!);
	change(json);
	results.set(file, json);
	return results;
}

function runCli(args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/report.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run bench:report', () => {
	it('the README holds exactly what the committed results files give', () => {
		expect(differences(readme, renderReport(loadResults(), pools))).toEqual([]);
	});

	it('every row names an existing results file, and every results file has a row', () => {
		const report = renderReport(loadResults(), pools);
		const named = rows(report).map((cells) => /^`bench\/results\/([a-z-]+\.json)` \(\d{4}-\d{2}-\d{2}\)$/.exec(cells[2])?.[1]);
		expect(named.every((f) => f !== undefined && fs.existsSync(path.join(RESULTS_DIR, f)))).toBe(true);
		expect([...new Set(named)].sort()).toEqual(fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).sort());
	});

	it('finds a figure edited by hand, naming the line', () => {
		const report = renderReport(loadResults(), pools);
		const votesLine = report.split('\n').findIndex((l) => l.startsWith('| `bench:votes` —'));
		// The recorded p99 as the row prints it, changed by hand in the README (the figure itself is whatever was recorded).
		const recorded = report.split('\n')[votesLine].match(/\*\*p99 [\d,.]+ ms\*\*/)![0];
		const edited = readme.replace(recorded, '**p99 1.5 ms**');
		const diff = differences(edited, report);
		expect(diff.map((d) => d.line)).toEqual([votesLine + 1]);
		expect(diff[0].fromFiles).toBe(report.split('\n')[votesLine]);
		expect(diff[0].inReadme).toBe(report.split('\n')[votesLine].replace(recorded, '**p99 1.5 ms**'));
	});

	it('follows a re-recorded file: a new p99 changes the row, which the README then no longer matches', () => {
		const report = renderReport(
			withChanged('votes.json', (j) => {
				j.ours.latencyMs.p50 = 12.5;
				j.ours.latencyMs.p99 = 250;
				j.ours.latencyMs.max = 300;
			}),
			pools
		);
		const votes = rows(report).find((cells) => cells[0].startsWith('`bench:votes` —'))!;
		// Over the recorded 200-ms target, the row says so.
		expect(votes[1].split('; ')[2]).toBe('cast → every subscriber sees the count p50 12.5 ms, **p99 250 ms** (≤ 200 ms: not met), max 300 ms');
		expect(differences(readme, report).length).toBe(1);
	});

	it('shows the like-for-like signing speed-up first, and says the key-unlocked one is not like for like', () => {
		// Figures set here, not the recorded ones: re-recording the benchmark must not break this test.
		const results = withChanged('sign.json', (j) => {
			j.signChairIncludingP12Unlock.medianMs = 3.27;
			j.baselineSignpdf.medianMs = 38.58;
			j.signChair.medianMs = 1.75;
			j.p12Unlock.medianMs = 1.22;
			j.p12Unlock.note = 'fromPkcs12 alone';
			j.speedupVsBaseline = { ...j.speedupVsBaseline, includingP12Unlock: 11.8, keyUnlocked: 22, target: 10, met: true };
		});
		const sign = rows(renderReport(results, pools)).filter((cells) => cells[0].startsWith('`bench:sign`'))[1];
		const recorded = loadResults().get('sign.json') as Record<string, any>;
		expect(recorded.baselineSignpdf.packages).toBe('@signpdf/signpdf + @signpdf/signer-p12 + @signpdf/placeholder-plain 3.3.0 (includes P12 unlock and placeholder)');
		expect(sign[1].split('; ')).toEqual([
			'like for like, both unlocking the PKCS#12 on every signature: median 3.27 ms vs 38.58 ms, **11.8×** (target ≥ 10×: met)',
			'with our key already unlocked 1.75 ms, 22× — not like for like, the baseline’s 38.58 ms still includes its unlock',
			'the unlock alone 1.22 ms (fromPkcs12 alone)'
		]);
	});

	it('says which database pool gave the bench:votes figures: the recorded one, or that the file does not say', () => {
		const settingsOf = (report: string) => rows(report).find((cells) => cells[0].startsWith('`bench:votes` —'))![0].split('; ')[1];
		expect(pools).toEqual({ documented: 20, benchVotes: 30 });
		const unrecorded = renderReport(loadResults(), pools);
		expect(settingsOf(unrecorded)).toBe('the app’s pool not recorded¹');
		expect(unrecorded.split('\n').at(-1)).toBe(
			'¹ `bench/results/votes.json` does not record the app’s database pool: `bench/votes.ts` starts the app with `DB_POOL_SIZE` = `BENCH_POOL`, 30 when unset, where the documented default is 20.'
		);
		expect(settingsOf(renderReport(withChanged('votes.json', (j) => (j.setup.dbPoolSize = 30)), pools))).toBe('the app with `DB_POOL_SIZE=30` (the documented default is 20)');
		expect(settingsOf(renderReport(withChanged('votes.json', (j) => (j.setup.dbPoolSize = 20)), pools))).toBe('the app with `DB_POOL_SIZE=20` (the documented default)');
	});

	it('refuses a results file it has no rows for, and a file missing a field it prints', () => {
		const results = loadResults();
		results.set('new-bench.json', { benchmark: 'new' });
		expect(() => renderReport(results, pools)).toThrow('bench/report.ts has no rows for bench/results/new-bench.json: add them');
		expect(() => renderReport(withChanged('monitor.json', (j) => delete j.firstLoad.overviewMs), pools)).toThrow('bench/results/monitor.json: no field firstLoad.overviewMs');
	});

	it('rewrites only the section between the markers', () => {
		const report = renderReport(loadResults(), pools);
		const recorded = report.match(/\*\*p99 [\d,.]+ ms\*\*/)![0];
		const stale = readme.replace(recorded, '**p99 1.5 ms**');
		expect(stale).not.toBe(readme);
		expect(spliceReadme(stale, report)).toBe(readme);
	});

	it("keeps issue 20's snapshot-cache A/B as a row of its own: each round's p99 of both sides and the file's decision", () => {
		const results = withChanged('votes-snapshot-cache-ab.json', (j) => {
			j.snapshotCacheAB.A.p99ByRound = [900, 600.5, 1234];
			j.snapshotCacheAB.B.p99ByRound = [700, 800, 950];
			j.snapshotCacheAB.A.latencyMs.p99 = 850;
			j.snapshotCacheAB.B.latencyMs.p99 = 840;
			j.decision = 'Removed: no gain.';
		});
		const ab = rows(renderReport(results, pools)).filter((cells) => cells[2].startsWith('`bench/results/votes-snapshot-cache-ab.json`'));
		expect(ab).toHaveLength(1);
		expect(ab[0][1]).toBe('p99 by round kept 900, 600.5, 1,234 ms, off 700, 800, 950 ms; pooled p99 kept 850 ms, off 840 ms; Removed: no gain.');
		expect(() => renderReport(withChanged('votes-snapshot-cache-ab.json', (j) => delete j.decision), pools)).toThrow('bench/results/votes-snapshot-cache-ab.json: no field decision');
	});

	it('renders the bench:secret-city row from its file, the 30-s verdict and the open votes beside it included', () => {
		// Figures set here, not recorded ones: the row must follow whatever a run writes.
		const fixture = {
			date: '2026-12-08T10:00:00.000Z',
			machine: { cpus: 2, cpuModel: 'AMD EPYC', memoryGiB: 24, node: 'v20.20.2', loadAverageAtStart: [1.5, 1, 1] },
			setup: { sittings: 168, delegatesPerSitting: 30, secretBallots: 5040, committee: { members: 3, threshold: 2 }, openSittings: 24, openCasts: 720, openScreens: 744, windowMs: 10000, dbPoolSize: 30 },
			secret: {
				ballots: 5040,
				accepted: 5040,
				refused: 0,
				retriedAsBusy: 12,
				roundTripMs: { p50: 2500, p99: 9000.5 },
				firstSendToLastAcceptedMs: 24000,
				acceptedPerSecond: 210,
				votesCounted: 168,
				closeAndCount: { ms: 8000 },
				lostBallots: 0,
				wrongCounts: [],
				firstSendToLastCountedMs: 32000
			},
			open: { castRoundTripMs: { p50: 40, p99: 1200 }, castToEveryScreenMs: { p99: 1250 }, refused: 0, lostDeliveries: 0 },
			resources: { casting: { seconds: 24, cpuSeconds: { app: 40, appMainThread: 15, postgres: 9 } }, appPeakRssMiB: 512, appPeakRssSince: 'the first send' },
			targets: { acceptedAndCountedWithinMs: 30000, met: false }
		};
		const results = loadResults();
		results.set('secret-city.json', fixture);
		const row = rows(renderReport(results, pools)).find((cells) => cells[0].startsWith('`bench:secret-city` —'))!;
		expect(row[2]).toBe('`bench/results/secret-city.json` (2026-12-08)');
		expect(row[1].split('; ')).toEqual([
			'5,040/5,040 accepted, 0 refused, 12 busy answers sent again',
			'cast round trip p50 2,500 ms, p99 9,000.5 ms',
			'the last ballot accepted 24.0 s after the first send (210 ballots/s)',
			'168 votes closed and counted by two members each in 8.0 s, 0 ballots lost, 0 counts wrong',
			'**every ballot accepted and counted 32.0 s after the first send (≤ 30 s: not met)**',
			'the open votes beside it: cast round trip p50 40 ms, **p99 1,200 ms**, cast → every screen p99 1,250 ms, 0 refused, 0 lost deliveries',
			'over the 24 s of casting the app used 40 CPU-s (its main thread 15), PostgreSQL 9 CPU-s, the app’s peak RSS 512 MiB since the first send',
			"recorded with the machine's load average at 1.5"
		]);
		const withoutCount = structuredClone(fixture) as Record<string, any>;
		delete withoutCount.secret.firstSendToLastCountedMs;
		results.set('secret-city.json', withoutCount);
		expect(() => renderReport(results, pools)).toThrow('bench/results/secret-city.json: no field secret.firstSendToLastCountedMs');
	});

	it('--check exits 0 on the README and 1 on a copy with a figure edited by hand, and leaves the copy as it was', () => {
		expect(runCli(['--check']).status).toBe(0);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-bench-report-'));
		const copy = path.join(dir, 'README.md');
		const edited = readme.replace('page 84 ms', 'page 48 ms');
		expect(edited).not.toBe(readme);
		fs.writeFileSync(copy, edited);
		const r = runCli(['--check', '--readme', copy]);
		expect(r.status).toBe(1);
		expect(r.stderr.split('\n')[0]).toBe(`${copy}: the benchmark table differs from what bench/results/*.json give (run npm run bench:report):`);
		expect(fs.readFileSync(copy, 'utf8')).toBe(edited);
		fs.rmSync(dir, { recursive: true });
	});
});
