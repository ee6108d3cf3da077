// `npm run bench:secret`: the cost of the secret ballot's cryptography (app/lib/secret-ballot, issue 17).
// - encryption + proofs of one 3-option ballot (yes / no / abstain) in Node, and in Chromium with 4× CPU
//   throttling (a mid-range phone) on the module bundled by esbuild, as the delegate's page will run it;
// - the server's check of one ballot (verifyBallot) in Node, p50 / p99, in each group implementation, interleaved
//   (noble's pure JS as in the browser, libsodium's WebAssembly on the server: app/lib/server/secret-ballot);
// - the close of the 95-delegate city council: sums, two members' partial decryptions with proofs, the server's
//   check of both partials, the combination and the discrete logs;
// - the 168 × 30 city-wide vote as a secret vote: 5,040 ballots prepared beforehand, then `verifyTally` of the
//   whole board (every proof, the sums, the partials, the result) on one core: noble ballot by ballot (before),
//   noble with all ballots' equations in one Pippenger multi-scalar multiplication, libsodium ballot by ballot.
// The targets are recorded against the best variant, with every variant's figures beside them.
// The machine is shared; the load average is recorded beside the figures so they can be read in context.
// Options: BENCH_ITERATIONS (200: a p99 of 40 calls is their maximum), BENCH_BROWSER_ITERATIONS (20),
// BENCH_LARGE (5040), BENCH_SKIP_BROWSER=1.
// Writes bench/results/secret.json; a reduced run (BENCH_LARGE ≠ 5040 or no browser) writes bench/.tmp/secret.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { encryptBallot, verifyBallot, verifyBallotIn } from '../app/lib/secret-ballot/ballot';
import { verificationKey } from '../app/lib/secret-ballot/committee';
import { aggregateBallots, checkPartial, combinePartials, partialDecrypt } from '../app/lib/secret-ballot/tally';
import { makeBoard, makeCommittee } from '../app/lib/secret-ballot/test-helpers';
import { type TallyCheck, verifyTally } from '../app/lib/secret-ballot/verify-tally';
import { sodiumGroup } from '../app/lib/server/secret-ballot/group-sodium';
import { machine, summary } from './lib/stats';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const BROWSER_ITERATIONS = Number(process.env.BENCH_BROWSER_ITERATIONS ?? 20);
const LARGE = Number(process.env.BENCH_LARGE ?? 5040);
const SKIP_BROWSER = process.env.BENCH_SKIP_BROWSER === '1';
const FULL = LARGE === 5040 && !SKIP_BROWSER;
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

/** Wall time and this process's CPU time of one call (ms): on a shared machine the CPU time is the steadier figure. */
function measure<T>(fn: () => T): [T, { wall: number; cpu: number }] {
	const c = process.cpuUsage();
	const t = performance.now();
	const r = fn();
	const wall = performance.now() - t;
	const d = process.cpuUsage(c);
	return [r, { wall, cpu: (d.user + d.system) / 1000 }];
}

/**
 * Each variant on the same calls, interleaved call by call so that all see the same load; 3 warm-up calls each.
 */
function cpuAndWall<K extends string>(n: number, variants: Record<K, (i: number) => void>) {
	const names = Object.keys(variants) as K[];
	for (let i = 0; i < 3; i++) for (const k of names) variants[k](-1 - i);
	const runs = names.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
	for (let i = 0; i < n; i++) {
		names.forEach((k, j) => {
			const [, m] = measure(() => variants[k](i));
			runs[j].wall.push(m.wall);
			runs[j].cpu.push(m.cpu);
		});
	}
	return Object.fromEntries(
		names.map((k, j) => [k, { wall: summary(runs[j].wall), cpu: summary(runs[j].cpu) }])
	) as Record<K, { wall: ReturnType<typeof summary>; cpu: ReturnType<typeof summary> }>;
}

async function main() {
	const loadAtStart = load();
	const sodium = await sodiumGroup();
	log('encrypting in Node…');
	const encryptNode = cpuAndWall(ITERATIONS, {
		noble: (i) => encryptBallot({ ...context(`d${i}`), choice: 1 })
	}).noble;
	log(`  p50 ${encryptNode.wall.p50} ms (cpu ${encryptNode.cpu.p50} ms)`);

	let browser: BrowserFigures | null = null;
	if (!SKIP_BROWSER) {
		log('in Chromium: encrypting (CPU throttled 4× and not), verifying…');
		browser = await inChromium();
		const phone = browser.encryptThrottled4x;
		log(`  4×: p50 ${phone.p50} ms, p99 ${phone.p99} ms; verify 1×: p50 ${browser.verifyUnthrottled.p50} ms`);
	}

	log('verifying ballots in Node (noble and libsodium, interleaved)…');
	const prepared = Array.from({ length: ITERATIONS + 3 }, (_, i) =>
		encryptBallot({ ...context(`v${i}`), choice: i % 3 })
	);
	const ballotAt = (i: number) => (i < 0 ? ITERATIONS - i - 1 : i);
	const verifyVariants = cpuAndWall(ITERATIONS, {
		noble: (i) => {
			const k = ballotAt(i);
			if (!verifyBallot(prepared[k].ballot, context(`v${k}`)).ok) throw new Error('ballot refused');
		},
		libsodium: (i) => {
			const k = ballotAt(i);
			if (!verifyBallotIn(sodium, prepared[k].ballot, context(`v${k}`)).ok) throw new Error('ballot refused');
		}
	});
	for (const [name, v] of Object.entries(verifyVariants)) {
		log(`  ${name}: p50 ${v.wall.p50} ms, p99 ${v.wall.p99} ms (cpu p50 ${v.cpu.p50}, p99 ${v.cpu.p99} ms)`);
	}
	// Chosen by CPU p50, the steadier figure: on this shared machine one descheduled call decides a p99.
	const bestVerify = (Object.keys(verifyVariants) as (keyof typeof verifyVariants)[]).reduce((a, b) =>
		verifyVariants[b].cpu.p50 < verifyVariants[a].cpu.p50 ? b : a
	);
	const verifyBoth = verifyVariants[bestVerify];
	const verify = verifyBoth.wall;

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
	const tallyVariants: Record<string, () => TallyCheck> = {
		nobleBallotByBallot: () => verifyTally(board, undefined, { wholeBoard: false }),
		nobleWholeBoard: () => verifyTally(board, undefined, { wholeBoard: true }),
		libsodium: () => verifyTally(board, undefined, { group: sodium })
	};
	const s = (ms: number) => Math.round(ms / 100) / 10;
	const tallies = Object.entries(tallyVariants).map(([name, run]) => {
		const [check, m] = measure(run);
		if (!check.ok) throw new Error(`board refused by ${name}: ${check.reason}`);
		log(`  ${name}: ${s(m.wall)} s (${s(m.cpu)} CPU-s)`);
		return {
			name,
			check,
			verifyTallyS: s(m.wall),
			verifyTallyCpuS: s(m.cpu),
			wallMs: m.wall,
			cpuMs: m.cpu
		};
	});
	const best = tallies.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
	const large = {
		ballots: LARGE,
		prepareBallotsS: Math.round(prepareMs / 100) / 10,
		variant: best.name,
		verifyTallyS: best.verifyTallyS,
		verifyTallyCpuS: best.verifyTallyCpuS,
		perBallotMs: Math.round((best.wallMs / LARGE) * 100) / 100,
		counts: best.check.ok ? best.check.counts : [],
		variants: Object.fromEntries(
			tallies.map((t) => [t.name, { verifyTallyS: t.verifyTallyS, verifyTallyCpuS: t.verifyTallyCpuS }])
		),
		note: 'verifyTally on one core: every ballot proof, the sums, 2 partial decryptions, the discrete logs, the result; the best variant (by CPU time) above, all variants run one after another in this process'
	};

	const result = {
		generatedAt: new Date().toISOString(),
		machine: {
			...(await machine()),
			loadAverageAtStart: loadAtStart,
			loadAverageAtEnd: load()
		},
		library: `@noble/curves 2.4.0 (ristretto255), pure JS, in the browser; on the server ${bestVerify === 'libsodium' ? 'libsodium-wrappers-sumo 0.8.4 (WebAssembly)' : 'the same'}`,
		ballot: {
			options: 3,
			bytesJson: JSON.stringify(prepared[0].ballot).length
		},
		encryptNode,
		chromium: browser,
		verifyBallotNode: { variant: bestVerify, ...verifyBoth },
		verifyBallotVariants: verifyVariants,
		tally95,
		verify5040: large,
		targets: {
			encryptPhone: browser && {
				targetMs: TARGETS.encryptPhoneMs,
				p99Ms: browser.encryptThrottled4x.p99,
				holds: browser.encryptThrottled4x.p99 <= TARGETS.encryptPhoneMs
			},
			verifyBallot: {
				targetMs: TARGETS.verifyBallotP99Ms,
				variant: bestVerify,
				p50Ms: verify.p50,
				p99Ms: verify.p99,
				holds: verify.p99 <= TARGETS.verifyBallotP99Ms,
				cpuP50Ms: verifyBoth.cpu.p50,
				cpuP99Ms: verifyBoth.cpu.p99,
				holdsOnCpu: verifyBoth.cpu.p99 <= TARGETS.verifyBallotP99Ms,
				chromiumP50Ms: browser?.verifyUnthrottled.p50 ?? null,
				note: 'the best variant (by CPU p50; every variant in verifyBallotVariants, measured interleaved); wall time on the shared machine (see loadAverage), cpu = this process only. noble in Chromium (a newer V8, faster BigInt) is given beside: Node 20 is the slow part'
			},
			tally95: {
				targetMs: TARGETS.tally95Ms,
				p99Ms: tally95.total.p99,
				holds: tally95.total.p99 <= TARGETS.tally95Ms
			},
			verify5040: {
				targetMs: TARGETS.large30sMs,
				variant: best.name,
				totalMs: Math.round(best.wallMs),
				cpuMs: Math.round(best.cpuMs),
				holds: best.wallMs <= TARGETS.large30sMs,
				note: 'the issue asks for every ballot accepted and counted within 30 s; this is the crypto alone on one core'
			}
		}
	};
	// Only a full run (5,040 ballots, the browser) replaces the recorded figures.
	const out = FULL ? 'bench/results/secret.json' : 'bench/.tmp/secret.json';
	mkdirSync(path.dirname(path.join(root, out)), { recursive: true });
	writeFileSync(path.join(root, out), JSON.stringify(result, null, 2) + '\n');
	log(`wrote ${out}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
