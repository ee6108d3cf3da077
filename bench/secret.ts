// `npm run bench:secret`: the cost of the secret ballot's cryptography (app/lib/secret-ballot, issue 17).
// - encryption + proofs of one 3-option ballot (yes / no / abstain) in Node, and in Chromium with 4× CPU
//   throttling (a mid-range phone) on the module bundled by esbuild, as the delegate's page will run it;
// - the server's check of one ballot (verifyBallot) in Node, p50 / p99;
// - the close of the 95-delegate city council: sums, two members' partial decryptions with proofs, the server's
//   check of both partials, the combination and the discrete logs;
// - the 168 × 30 city-wide vote as a secret vote: 5,040 ballots prepared beforehand, then `verifyTally` of the
//   whole board (every proof, the sums, the partials, the result) on one core.
// The machine is shared; the load average is recorded beside the figures so they can be read in context.
// Options: BENCH_ITERATIONS (40), BENCH_BROWSER_ITERATIONS (20), BENCH_LARGE (5040). Writes bench/results/secret.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { encryptBallot, verifyBallot } from '../app/lib/secret-ballot/ballot';
import { verificationKey } from '../app/lib/secret-ballot/committee';
import { aggregateBallots, checkPartial, combinePartials, partialDecrypt } from '../app/lib/secret-ballot/tally';
import { makeBoard, makeCommittee } from '../app/lib/secret-ballot/test-helpers';
import { verifyTally } from '../app/lib/secret-ballot/verify-tally';
import { machine, summary } from './lib/stats';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const BROWSER_ITERATIONS = Number(process.env.BENCH_BROWSER_ITERATIONS ?? 20);
const LARGE = Number(process.env.BENCH_LARGE ?? 5040);
const COUNCIL = 95;
const TARGETS = {
	encryptPhoneMs: 300,
	verifyBallotP99Ms: 3,
	tally95Ms: 1000,
	large30sMs: 30_000
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => process.stderr.write(s + '\n');
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

function timed<T>(fn: () => T): [T, number] {
	const t = performance.now();
	const r = fn();
	return [r, performance.now() - t];
}

const committee = makeCommittee('bench-vote');
const context = (voterId: string) => ({
	publicKey: committee.publicKey,
	voteId: 'bench-vote',
	voterId,
	options: 3
});

interface BrowserFigures {
	encryptThrottled4x: ReturnType<typeof summary>;
	encryptUnthrottled: ReturnType<typeof summary>;
	verifyUnthrottled: ReturnType<typeof summary>;
	bundleKiB: number;
	browser: string;
}

/** The module as the page will load it (esbuild bundle), in Chromium: encryption at 4× and 1×, verification at 1×. */
async function inChromium(): Promise<BrowserFigures> {
	const bundle = await build({
		stdin: {
			contents: `import { encryptBallot, verifyBallot } from './app/lib/secret-ballot/ballot';
				const time = (fn) => { const t = performance.now(); fn(); return performance.now() - t; };
				globalThis.benchEncrypt = (publicKey, n) => {
					const ctx = (i) => ({ publicKey, voteId: 'bench-vote', voterId: 'd' + i, options: 3 });
					const out = [];
					for (let i = -3; i < n; i++) {
						const ms = time(() => encryptBallot({ ...ctx(i), choice: 1 }));
						if (i >= 0) out.push(ms);
					}
					return out;
				};
				globalThis.benchVerify = (publicKey, n) => {
					const ctx = (i) => ({ publicKey, voteId: 'bench-vote', voterId: 'd' + i, options: 3 });
					const ballots = Array.from({ length: n + 3 }, (_, i) => encryptBallot({ ...ctx(i), choice: i % 3 }).ballot);
					return ballots.map((b, i) => time(() => { if (!verifyBallot(b, ctx(i)).ok) throw new Error('refused'); })).slice(3);
				};`,
			resolveDir: root,
			loader: 'ts'
		},
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'es2022',
		minify: true,
		write: false
	});
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox']
	});
	try {
		const page = await browser.newPage();
		await page.setContent('<!doctype html><title>bench</title>');
		await page.addScriptTag({ content: bundle.outputFiles[0].text });
		type Bench = Record<'benchEncrypt' | 'benchVerify', (k: string, n: number) => number[]>;
		const run = (fn: keyof Bench, n: number) =>
			page.evaluate(([f, key, count]) => (globalThis as unknown as Bench)[f](key, count), [
				fn,
				committee.publicKey,
				n
			] as const);
		const encryptUnthrottled = summary(await run('benchEncrypt', BROWSER_ITERATIONS));
		const verifyUnthrottled = summary(await run('benchVerify', ITERATIONS));
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
		const encryptThrottled4x = summary(await run('benchEncrypt', BROWSER_ITERATIONS));
		return {
			encryptThrottled4x,
			encryptUnthrottled,
			verifyUnthrottled,
			bundleKiB: Math.round(bundle.outputFiles[0].contents.length / 1024),
			browser: `Chromium ${browser.version()}`
		};
	} finally {
		await browser.close();
	}
}

/** Wall time and this process's CPU time per call: on a shared machine the CPU time is the steadier figure. */
function cpuAndWall(n: number, fn: (i: number) => void) {
	for (let i = 0; i < 3; i++) fn(-1 - i);
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < n; i++) {
		const c = process.cpuUsage();
		const t = performance.now();
		fn(i);
		wall.push(performance.now() - t);
		const d = process.cpuUsage(c);
		cpu.push((d.user + d.system) / 1000);
	}
	return { wall: summary(wall), cpu: summary(cpu) };
}

async function main() {
	const loadAtStart = load();
	log('encrypting in Node…');
	const encryptNode = cpuAndWall(ITERATIONS, (i) => encryptBallot({ ...context(`d${i}`), choice: 1 }));
	log(`  p50 ${encryptNode.wall.p50} ms (cpu ${encryptNode.cpu.p50} ms)`);

	log('in Chromium: encrypting (CPU throttled 4× and not), verifying…');
	const browser = await inChromium();
	const encryptPhone = browser.encryptThrottled4x;
	log(
		`  4×: p50 ${encryptPhone.p50} ms, p99 ${encryptPhone.p99} ms; verify 1×: p50 ${browser.verifyUnthrottled.p50} ms`
	);

	log('verifying ballots in Node…');
	const prepared = Array.from({ length: ITERATIONS + 3 }, (_, i) =>
		encryptBallot({ ...context(`v${i}`), choice: i % 3 })
	);
	const verifyBoth = cpuAndWall(ITERATIONS, (i) => {
		const k = i < 0 ? ITERATIONS - i - 1 : i;
		if (!verifyBallot(prepared[k].ballot, context(`v${k}`)).ok) throw new Error('ballot refused');
	});
	const verify = verifyBoth.wall;
	log(`  p50 ${verify.p50} ms, p99 ${verify.p99} ms (cpu p50 ${verifyBoth.cpu.p50} ms)`);

	log(`closing a ${COUNCIL}-delegate vote…`);
	const council = Array.from(
		{ length: COUNCIL },
		(_, i) => encryptBallot({ ...context(`c${i}`), choice: i % 3 }).ballot
	);
	const close = () => {
		const [sums, sumMs] = timed(() => aggregateBallots(council, 3));
		const [partials, partialMs] = timed(() => committee.secrets.slice(1).map((s) => partialDecrypt(s, sums)));
		const [counts, combineMs] = timed(() => {
			const ctx = { voteId: 'bench-vote', publicKey: committee.publicKey };
			const checked = partials.map((p) => {
				const vk = verificationKey(committee.params, committee.dealings, p.index);
				const shares = checkPartial(p, sums, vk, ctx);
				if (!shares) throw new Error('partial refused');
				return { index: p.index, shares };
			});
			return combinePartials(sums, checked, 2, council.length);
		});
		return { counts, sumMs, partialMs, combineMs };
	};
	close();
	const runs = Array.from({ length: 10 }, () => timed(close));
	const expected = [0, 1, 2].map((k) => council.filter((_, i) => i % 3 === k).length);
	if (runs.some(([r]) => r.counts.join() !== expected.join())) throw new Error('wrong count');
	const tally95 = {
		ballots: COUNCIL,
		total: summary(runs.map(([, ms]) => ms)),
		sumsMs: summary(runs.map(([r]) => r.sumMs)).p50,
		twoPartialDecryptionsMs: summary(runs.map(([r]) => r.partialMs)).p50,
		checkPartialsAndCombineMs: summary(runs.map(([r]) => r.combineMs)).p50,
		counts: runs[0][0].counts
	};
	log(`  p50 ${tally95.total.p50} ms`);

	log(`preparing ${LARGE} ballots (168 × 30)…`);
	const [board, prepareMs] = timed(() =>
		makeBoard(
			'bench-large',
			{ options: 3 },
			Array.from({ length: LARGE }, (_, i) => i % 3)
		)
	);
	log(`  prepared in ${Math.round(prepareMs / 1000)} s; verifying the whole board…`);
	const cpuBefore = process.cpuUsage();
	const [check, verifyMs] = timed(() => verifyTally(board));
	const cpuUsed = process.cpuUsage(cpuBefore);
	if (!check.ok) throw new Error(`board refused: ${check.reason}`);
	const large = {
		ballots: LARGE,
		prepareBallotsS: Math.round(prepareMs / 100) / 10,
		verifyTallyS: Math.round(verifyMs / 100) / 10,
		verifyTallyCpuS: Math.round((cpuUsed.user + cpuUsed.system) / 100_000) / 10,
		perBallotMs: Math.round((verifyMs / LARGE) * 100) / 100,
		counts: check.counts,
		note: 'verifyTally on one core: every ballot proof, the sums, 2 partial decryptions, the discrete logs, the result'
	};
	log(`  ${large.verifyTallyS} s (${large.perBallotMs} ms per ballot)`);

	const result = {
		generatedAt: new Date().toISOString(),
		machine: {
			...(await machine()),
			loadAverageAtStart: loadAtStart,
			loadAverageAtEnd: load()
		},
		library: '@noble/curves 2.4.0 (ristretto255), pure JS',
		ballot: {
			options: 3,
			bytesJson: JSON.stringify(prepared[0].ballot).length
		},
		encryptNode,
		chromium: browser,
		verifyBallotNode: verifyBoth,
		tally95,
		verify5040: large,
		targets: {
			encryptPhone: {
				targetMs: TARGETS.encryptPhoneMs,
				p99Ms: encryptPhone.p99,
				holds: encryptPhone.p99 <= TARGETS.encryptPhoneMs
			},
			verifyBallot: {
				targetMs: TARGETS.verifyBallotP99Ms,
				p50Ms: verify.p50,
				p99Ms: verify.p99,
				holds: verify.p99 <= TARGETS.verifyBallotP99Ms,
				cpuP50Ms: verifyBoth.cpu.p50,
				chromiumP50Ms: browser.verifyUnthrottled.p50,
				note: 'wall time on the shared machine (see loadAverage); cpu = this process only. The same code in Chromium (a newer V8, faster BigInt) is given beside: Node 20 is the slow part'
			},
			tally95: {
				targetMs: TARGETS.tally95Ms,
				p99Ms: tally95.total.p99,
				holds: tally95.total.p99 <= TARGETS.tally95Ms
			},
			verify5040: {
				targetMs: TARGETS.large30sMs,
				totalMs: Math.round(verifyMs),
				holds: verifyMs <= TARGETS.large30sMs,
				note: 'the issue asks for every ballot accepted and counted within 30 s; this is the crypto alone on one core'
			}
		}
	};
	mkdirSync(path.join(root, 'bench/results'), { recursive: true });
	writeFileSync(path.join(root, 'bench/results/secret.json'), JSON.stringify(result, null, 2) + '\n');
	log('wrote bench/results/secret.json');
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
