// `npm run bench:secret-city`: the 168 × 30 city-wide vote of `bench:votes` run as an ENCRYPTED secret vote through
// the running app (issue 17, "Tests and figures"): every ballot accepted and counted within 30 s, nothing lost, and
// the open votes running beside it.
// Set-up (not measured), straight through the services and the database: 168 ward sittings in progress, 30
// delegates checked in each; in each a yes/no/abstain secret vote prepared with a 3-member committee (any 2 count),
// keyed (transport keys, dealings with sealed shares, each member's secret rebuilt from its shares: the members'
// browsers' steps, done in this process) and opened; then every ballot encrypted beforehand by this client, with
// the delegate's real user id as voter, on worker threads (bench/lib/encrypt-ballots.ts: minutes of CPU on one
// core). Beside them N_OPEN sittings (default 24) with an OPEN yes/no vote each, every delegate and the secretary
// watching the sitting's stream. The app is started from a private copy of the build and warmed up first: the
// city council casts, closes and counts a secret vote of its own and casts an open one (not measured).
// Measured window: the 5,040 secret ballots POSTed as `secretBallot.cast` (tRPC over HTTP, each delegate's session
// cookie and kept-alive connection of its own), spread over 10 s as bench:votes spreads its casts, and the open
// votes' `vote.cast` over the same 10 s. A SERVICE_UNAVAILABLE is sent again after the wait its answer gives
// (Retry-After, else RETRY_MS: the page's "send again"); every retry is a request of its own and counted. Then every
// chair closes casting (`secretBallot.closeCasting`), and in each vote two committee members read the sums
// (`secretBallot.setup`), decrypt their parts and post them (`secretBallot.postPartial`): the second counts. Every
// count is checked against what was encrypted. The target: every ballot accepted AND counted within 30 s of the
// first send; reported, not tuned for.
// Writes bench/results/secret-city.json (a reduced run, BENCH_SITTINGS < 168, writes bench/.tmp/secret-city.json).
// Options: BENCH_SITTINGS=n secret sittings (168); N_OPEN=n open sittings beside them (24); BENCH_POOL=n the
// app's database pool (30, as bench:votes); BENCH_THREADS=n encryption threads (one per core).
import { setMaxListeners } from 'node:events';
import type http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MemberSecret, combineShares, committeeParams, createDealing, createTransportKey, openShare, partialDecrypt, sealShare } from '../app/lib/secret-ballot';
import type { EncryptedSum } from '../app/lib/secret-ballot/tally';
import { councilCa } from '../app/lib/server/resolutions/pki';
import { postDealing, postTransportKey, prepareSecretVote, setupView, sharesFor } from '../app/lib/server/secret-ballot/ceremony';
import { openEncryptedVote } from '../app/lib/server/secret-ballot/open';
import { secretBallotJobs } from '../app/lib/server/secret-ballot/pool';
import { openVote } from '../app/lib/server/votes/open-vote';
import { startAppServer } from '../tests/helpers/app-server';
import { type BenchDb, type BenchSitting, benchEnvironment, setUpSittings, settle, sittingHeads } from './lib/city-sittings';
import { encryptBallots } from './lib/encrypt-ballots';
import { connectAhead, listen, ownConnection, post, requestJson, type JsonAnswer, votedCount, warmUp } from './lib/sse-listener';
import { cpuByProcess, cpuSpent, machine, peakRssMiB, resetPeakRss, summary } from './lib/stats';

/** The city's ward councils: a run with fewer secret sittings is a trial, not the record. */
const CITY_SITTINGS = 168;
const SITTINGS = Number(process.env.BENCH_SITTINGS ?? CITY_SITTINGS);
const N_OPEN = Number(process.env.N_OPEN ?? 24);
const POOL = Number(process.env.BENCH_POOL ?? 30);
const THREADS = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined;
const DELEGATES = 30;
const WINDOW_MS = 10_000;
const TARGET_MS = 30_000;
const COMMITTEE = 3;
const THRESHOLD = 2;
/** The wait before sending again when a busy answer names none (a delegate pressing "Gửi lại" after a moment). */
const RETRY_MS = 1_000;
/** A ballot still refused as busy this long after its first send is given up (and reported): the run must end. */
const GIVE_UP_MS = 120_000;
const root = path.resolve(import.meta.dirname, '..');
const log = (m: string) => process.stderr.write(`[bench:secret-city] ${m}\n`);
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

/** A keyed, opened secret vote and the committee's two members who count it (their sessions and saved secrets). */
interface SecretVote {
	sitting: BenchSitting;
	voteId: string;
	counters: { cookie: string; agent: http.Agent; secret: MemberSecret }[];
	/** Ballot k is delegate k's: its request body, pre-serialised, and its choice (0 yes, 1 no, 2 abstain). */
	bodies: string[];
	choices: number[];
	/** Each delegate's kept-alive connection (its phone's). */
	agents: http.Agent[];
	chairAgent: http.Agent;
	phaseMs: number;
}

/** A yes/no/abstain mix that differs between sittings, so a count swapped between votes or options shows. */
function choiceOf(sitting: number, k: number): number {
	if (k < 12 + (sitting % 7)) return 0;
	return k % 3 === 0 ? 2 : 1;
}

/**
 * The committee's ceremony through the services, each member's browser played here: transport keys, dealings with
 * shares sealed to every member, each member's secret rebuilt from the shares sealed to it; then the chair opens.
 */
async function keyedVote(db: BenchDb, sitting: BenchSitting) {
	const committee = sitting.delegateIds.slice(0, COMMITTEE);
	const { setupId } = await prepareSecretVote(db, { sittingId: sitting.sittingId, itemId: sitting.itemId, question: 'Bỏ phiếu kín: thông qua dự thảo nghị quyết?', rule: 'majority', committee, threshold: THRESHOLD, createdBy: sitting.chairId });
	const params = committeeParams(setupId, THRESHOLD, COMMITTEE);
	const transport = committee.map(() => createTransportKey());
	for (const [i, userId] of committee.entries()) await postTransportKey(db, { setupId, userId, key: transport[i].public });
	const keys = (await setupView(db, setupId)).members.map((m) => m.transportKey!);
	for (const [i, userId] of committee.entries()) {
		const { dealing, shares } = createDealing(params, i + 1);
		await postDealing(db, { setupId, userId, dealing, sealed: shares.map((s) => sealShare(setupId, i + 1, s.to, keys[s.to - 1], s.share)) });
	}
	const secrets: MemberSecret[] = [];
	for (const [i, userId] of committee.entries()) {
		const mine = await sharesFor(db, { setupId, userId });
		secrets.push(combineShares(params, i + 1, mine.dealings, mine.sealed.map((s) => ({ from: s.from, share: openShare(setupId, transport[i], s)! }))));
	}
	const { voteId } = await openEncryptedVote(db, { setupId, openedBy: sitting.chairId });
	const { publicKey } = await setupView(db, setupId);
	return { voteId, publicKey: publicKey!, secrets };
}

/** Sets up the secret votes (keyed, opened, every ballot encrypted) of `sittings`. */
async function secretVotes(db: BenchDb, sittings: BenchSitting[]): Promise<{ votes: SecretVote[]; ceremonyS: number; encryptS: number; threads: number }> {
	const t0 = performance.now();
	const keyed: Awaited<ReturnType<typeof keyedVote>>[] = [];
	for (const sitting of sittings) {
		keyed.push(await keyedVote(db, sitting));
		if (keyed.length % 24 === 0) log(`keyed and opened ${keyed.length}/${sittings.length} secret votes`);
	}
	const ceremonyS = (performance.now() - t0) / 1000;
	const wanted = sittings.flatMap((s, p) => s.delegateIds.map((voterId, k) => ({ publicKey: keyed[p].publicKey, voteId: keyed[p].voteId, voterId, choice: choiceOf(p, k) })));
	const threads = THREADS ?? os.availableParallelism();
	log(`encrypting ${wanted.length} ballots on ${threads} worker threads…`);
	const t1 = performance.now();
	let tenths = 0;
	const onProgress = (done: number) => {
		if (Math.floor((done * 10) / wanted.length) > tenths) log(`  ${done}/${wanted.length} (${Math.round((performance.now() - t1) / 1000)} s)`);
		tenths = Math.floor((done * 10) / wanted.length);
	};
	const ballots = await encryptBallots(wanted, { threads, onProgress });
	const encryptS = (performance.now() - t1) / 1000;
	let at = 0;
	const votes = sittings.map((sitting, p): SecretVote => {
		const bodies = sitting.delegateIds.map((_, k) => JSON.stringify({ voteId: keyed[p].voteId, ballot: ballots[at + k] }));
		const choices = sitting.delegateIds.map((_, k) => wanted[at + k].choice);
		at += sitting.delegateIds.length;
		const agents = sitting.delegateIds.map(() => ownConnection());
		return {
			sitting,
			voteId: keyed[p].voteId,
			// Members 1 and 2 count (delegates 0 and 1 on their own phones).
			counters: keyed[p].secrets.slice(0, THRESHOLD).map((secret, i) => ({ cookie: sitting.delegateCookies[i], agent: agents[i], secret })),
			bodies,
			choices,
			agents,
			chairAgent: ownConnection(),
			phaseMs: Math.random() * (WINDOW_MS / DELEGATES)
		};
	});
	return { votes, ceremonyS, encryptS, threads };
}

/** Requests and their outcome, across the run's secret casts (or the closes and counts). */
class Sender {
	readonly roundTripMs: number[] = [];
	requests = 0;
	retries = 0;
	retryAfterGiven = 0;
	errors = 0;
	readonly refusedBy = new Map<string, number>();

	/**
	 * Sends until answered other than busy: a SERVICE_UNAVAILABLE is sent again after the wait its answer names (or
	 * RETRY_MS), each time a request of its own. Null when refused (counted by status and key) or unreachable.
	 */
	async send(method: 'GET' | 'POST', url: string, body: string | null, cookie: string, agent: http.Agent): Promise<JsonAnswer | null> {
		const first = performance.now();
		for (;;) {
			const t0 = performance.now();
			let answer: JsonAnswer;
			try {
				answer = await requestJson(method, url, body, { cookie }, agent);
			} catch (err) {
				this.errors++;
				this.refuse(`error ${(err as Error).message}`);
				return null;
			}
			this.requests++;
			this.roundTripMs.push(performance.now() - t0);
			if (answer.status === 200) return answer;
			const data = (answer.json as { error?: { data?: { code?: string; i18nKey?: string } } }).error?.data;
			if (answer.status === 503 && data?.code === 'SERVICE_UNAVAILABLE' && performance.now() - first < GIVE_UP_MS) {
				this.retries++;
				const seconds = Number(answer.retryAfter);
				if (answer.retryAfter !== null) this.retryAfterGiven++;
				await new Promise((r) => setTimeout(r, answer.retryAfter !== null && Number.isFinite(seconds) ? seconds * 1000 : RETRY_MS));
				continue;
			}
			this.refuse(`${answer.status} ${data?.i18nKey ?? data?.code ?? ''}`.trim());
			return null;
		}
	}

	private refuse(key: string) {
		this.refusedBy.set(key, (this.refusedBy.get(key) ?? 0) + 1);
	}

	figures() {
		return { requests: this.requests, retriedAsBusy: this.retries, retryAfterHeaders: this.retryAfterGiven, networkErrors: this.errors, refusedBy: Object.fromEntries(this.refusedBy), roundTripMs: summary(this.roundTripMs) };
	}
}

/** The chair closes casting; two members each read the sums, decrypt their part and post it: the second counts. */
async function closeAndCount(origin: string, vote: SecretVote, sender: Sender): Promise<boolean> {
	const closed = await sender.send('POST', `${origin}/api/trpc/secretBallot.closeCasting`, JSON.stringify({ voteId: vote.voteId }), vote.sitting.chairCookie, vote.chairAgent);
	if (!closed) return false;
	const setupUrl = `${origin}/api/trpc/secretBallot.setup?input=${encodeURIComponent(JSON.stringify({ setupId: vote.voteId }))}`;
	const posted = await Promise.all(
		vote.counters.map(async (member) => {
			const setup = await sender.send('GET', setupUrl, null, member.cookie, member.agent);
			const sums = (setup?.json as { result?: { data?: { counting?: { sums: EncryptedSum[] } | null } } } | undefined)?.result?.data?.counting?.sums;
			if (!sums) return false;
			const partial = partialDecrypt(member.secret, sums);
			const answer = await sender.send('POST', `${origin}/api/trpc/secretBallot.postPartial`, JSON.stringify({ voteId: vote.voteId, partial }), member.cookie, member.agent);
			return (answer?.json as { result?: { data?: { counted?: boolean } } } | undefined)?.result?.data?.counted === true;
		})
	);
	return posted.some(Boolean);
}

/** An open vote beside the secret ones: its sitting, its vote, and when each of its screens saw each count. */
interface OpenVote {
	sitting: BenchSitting;
	voteId: string;
	lastSeq: number;
	phaseMs: number;
	sent: number[];
	/** By count n: the latest arrival so far and how many screens have seen it. */
	lastSeen: number[];
	seenBy: number[];
}

async function main() {
	const started = Date.now();
	const loadAtStart = load();
	const env = await benchEnvironment('secret-city', root, log);
	const { database, db, build } = env;
	const controller = new AbortController();
	setMaxListeners(0, controller.signal);
	let app: Awaited<ReturnType<typeof startAppServer>> | null = null;
	const agents: http.Agent[] = [];
	try {
		log(`preparing ${SITTINGS} sittings for the secret votes and ${N_OPEN} for the open ones…`);
		const secretSittings = await setUpSittings(db, { kind: 'ward', limit: SITTINGS, log });
		// The open sittings are the last councils' (a second sitting of theirs in a full run: nothing stops a council
		// holding two, and their delegates are checked in to both).
		const openSittings = await setUpSittings(db, { kind: 'ward', limit: N_OPEN, offset: Math.max(0, CITY_SITTINGS - N_OPEN), log });
		const [citySecret] = await setUpSittings(db, { kind: 'city', limit: 1, log });
		const [cityOpen] = await setUpSittings(db, { kind: 'city', limit: 1, log });
		// Counting a vote signs the sitting's head with the council's key (sittings/anchor.ts), made on first use (an
		// RSA key generation). A council in service has had its key since its first close or signature: made here.
		log('making the councils’ signing keys…');
		const councils = [...new Set([...secretSittings, citySecret].map((s) => s.councilId))];
		for (let i = 0; i < councils.length; i += 4) await Promise.all(councils.slice(i, i + 4).map((c) => councilCa(db, c)));

		log('the committees’ ceremonies, then the ballots…');
		const prepared = await secretVotes(db, [...secretSittings, citySecret]);
		const votes = prepared.votes.slice(0, secretSittings.length);
		const warmUpVote = prepared.votes[secretSittings.length];
		const opened = async (s: BenchSitting) => (await openVote(db, { sittingId: s.sittingId, itemId: s.itemId, question: 'Thông qua?', kind: 'open', rule: 'majority', openedBy: s.chairId })).voteId;
		const openVotes: OpenVote[] = [];
		for (const s of openSittings) openVotes.push({ sitting: s, voteId: await opened(s), lastSeq: 0, phaseMs: Math.random() * (WINDOW_MS / DELEGATES), sent: [], lastSeen: [], seenBy: [] });
		const cityOpenVoteId = await opened(cityOpen);
		const heads = await sittingHeads(db, openSittings.map((s) => s.sittingId));
		for (const v of openVotes) v.lastSeq = heads.get(v.sitting.sittingId)!;
		await settle(db);

		app = await startAppServer({ databaseUrl: database.url, env: { DB_POOL_SIZE: String(POOL), BUILD_DIR: build.dir } });
		const origin = app.url;
		// The open sittings' screens: every delegate's and the secretary's.
		const screens: Promise<void>[] = [];
		for (const v of openVotes) {
			for (const cookie of [...v.sitting.delegateCookies, v.sitting.observerCookie]) {
				const url = `${origin}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId: v.sitting.sittingId, lastEventId: String(v.lastSeq) }))}`;
				screens.push(
					listen(url, { cookie }, controller.signal, (data, at) => {
						if (!data.includes('"type":"vote.ballot"')) return;
						const n = votedCount(data);
						v.lastSeen[n] = Math.max(v.lastSeen[n] ?? 0, at);
						v.seenBy[n] = (v.seenBy[n] ?? 0) + 1;
					})
				);
			}
		}
		await Promise.all(screens);
		log(`${screens.length} screens of the open sittings connected`);
		for (const v of prepared.votes) agents.push(...v.agents, v.chairAgent);
		await connectAhead(origin, agents);
		await warmUp(origin);
		log(`${agents.length} delegates' and chairs' connections open`);

		// Warm-up (not measured): the city council's secret vote cast, closed and counted, and its open vote cast, as
		// many at a time as the app has database connections.
		const warmUpSender = new Sender();
		const together = POOL + 2;
		for (let k = 0; k < warmUpVote.bodies.length; k += together) {
			await Promise.all(warmUpVote.bodies.slice(k, k + together).map((body, j) => warmUpSender.send('POST', `${origin}/api/trpc/secretBallot.cast`, body, warmUpVote.sitting.delegateCookies[k + j], warmUpVote.agents[k + j])));
		}
		if (!(await closeAndCount(origin, warmUpVote, warmUpSender))) throw new Error(`the warm-up vote was not counted: ${JSON.stringify(warmUpSender.figures())}`);
		const cityCookies = cityOpen.delegateCookies;
		for (let k = 0; k < cityCookies.length; k += together) {
			await Promise.all(cityCookies.slice(k, k + together).map((cookie) => post(`${origin}/api/trpc/vote.cast`, JSON.stringify({ voteId: cityOpenVoteId, choice: 'yes' }), { cookie })));
		}
		if (warmUpSender.refusedBy.size) throw new Error(`warm-up refused: ${JSON.stringify(warmUpSender.figures())}`);
		log(`warm-up: ${warmUpVote.bodies.length} secret ballots cast and counted, ${cityCookies.length} open casts`);
		await new Promise((r) => setTimeout(r, 1000));

		// The window.
		const pid = app.process.pid!;
		const peakFromWindow = resetPeakRss(pid);
		const cpuAtStart = cpuByProcess([pid], database.dataDir);
		const casts = new Sender();
		const acceptMs: number[] = [];
		let accepted = 0;
		let lastAcceptedAt = 0;
		const openRoundTripMs: number[] = [];
		let openAccepted = 0;
		let openRefused = 0;
		const start = performance.now();
		const sends: Promise<void>[] = [];
		const at = (phaseMs: number, k: number, fn: () => Promise<void>) =>
			sends.push(new Promise<void>((resolve) => setTimeout(() => void fn().catch((err: unknown) => log(`a cast failed: ${String(err)}`)).finally(resolve), phaseMs + (k * WINDOW_MS) / DELEGATES)));
		for (const vote of votes) {
			vote.bodies.forEach((body, k) =>
				at(vote.phaseMs, k, async () => {
					const first = performance.now();
					if (await casts.send('POST', `${origin}/api/trpc/secretBallot.cast`, body, vote.sitting.delegateCookies[k], vote.agents[k])) {
						accepted++;
						lastAcceptedAt = Math.max(lastAcceptedAt, performance.now());
						acceptMs.push(performance.now() - first);
					}
				})
			);
		}
		for (const vote of openVotes) {
			vote.sitting.delegateCookies.forEach((cookie, k) =>
				at(vote.phaseMs, k, async () => {
					vote.sent[k + 1] = performance.now();
					const status = await post(`${origin}/api/trpc/vote.cast`, JSON.stringify({ voteId: vote.voteId, choice: k % 2 ? 'yes' : 'no', idempotencyKey: `bench-${vote.voteId}-${k}` }), { cookie }).catch(() => 0);
					openRoundTripMs.push(performance.now() - vote.sent[k + 1]);
					if (status === 200) openAccepted++;
					else openRefused++;
				})
			);
		}
		await Promise.all(sends);
		const castingEnd = performance.now();
		const cpuAfterCasting = cpuByProcess([pid], database.dataDir);
		log(`casting: ${accepted}/${votes.length * DELEGATES} secret ballots accepted, the last ${Math.round(lastAcceptedAt - start)} ms after the first send; ${casts.retries} busy answers sent again`);

		// Every chair closes at once; the committees count.
		const closes = new Sender();
		const closeStart = performance.now();
		let lastCountedAt = 0;
		const counted = await Promise.all(
			votes.map(async (vote) => {
				const ok = await closeAndCount(origin, vote, closes);
				if (ok) lastCountedAt = Math.max(lastCountedAt, performance.now());
				return ok;
			})
		);
		const closeEnd = performance.now();
		const cpuAtEnd = cpuByProcess([pid], database.dataDir);
		await new Promise((r) => setTimeout(r, 1000)); // the open screens' last deliveries
		controller.abort();
		const appPeakRssMiB = await peakRssMiB(pid);
		if (app.process.exitCode !== null) log(`the app exited during the run (code ${app.process.exitCode}):\n${app.output().slice(-3000)}`);
		log(`closed and counted ${counted.filter(Boolean).length}/${votes.length} in ${Math.round(closeEnd - closeStart)} ms`);

		// Nothing lost: every vote's stored ballots and counts against what was encrypted.
		const voteIds = votes.map((v) => v.voteId);
		const tallies = await db.selectFrom('encrypted_tallies').select(['vote_id', 'ballots', 'counts']).where('vote_id', 'in', voteIds).execute();
		const stored = await db.selectFrom('encrypted_ballots').select(['vote_id', db.fn.countAll<number>().as('n')]).where('vote_id', 'in', voteIds).groupBy('vote_id').execute();
		const storedBy = new Map(stored.map((s) => [s.vote_id, Number(s.n)]));
		const tallyBy = new Map(tallies.map((t) => [t.vote_id, t]));
		const wrongCounts: { voteId: string; expected: number[]; counted: unknown }[] = [];
		for (const vote of votes) {
			const expected = [0, 1, 2].map((c) => vote.choices.filter((x) => x === c).length);
			const counts = tallyBy.get(vote.voteId)?.counts ?? null;
			if (JSON.stringify(counts) !== JSON.stringify(expected)) wrongCounts.push({ voteId: vote.voteId, expected, counted: counts });
		}
		const ballotsStored = [...storedBy.values()].reduce((a, b) => a + b, 0);
		const openStored = openVotes.length ? await db.selectFrom('open_ballots').select(db.fn.countAll<number>().as('n')).where('vote_id', 'in', openVotes.map((v) => v.voteId)).executeTakeFirstOrThrow() : { n: 0 };

		const openScreens = DELEGATES + 1;
		const deliveryMs: number[] = [];
		let lostDeliveries = 0;
		for (const v of openVotes) {
			for (let n = 1; n <= v.sitting.delegateCookies.length; n++) {
				lostDeliveries += openScreens - Math.min(openScreens, v.seenBy[n] ?? 0);
				if (v.lastSeen[n] && v.sent[n]) deliveryMs.push(v.lastSeen[n] - v.sent[n]);
			}
		}

		const ballots = votes.length * DELEGATES;
		const firstSendToLastAcceptedMs = Math.round(lastAcceptedAt - start);
		const firstSendToLastCountedMs = Math.round(lastCountedAt - start);
		const allCounted = counted.every(Boolean);
		const nothingLost = ballotsStored === ballots && accepted === ballots && wrongCounts.length === 0 && allCounted;
		const seconds = (ms: number) => Math.round(ms / 100) / 10;
		const result = {
			benchmark: 'secret-city',
			date: new Date().toISOString(),
			machine: { ...(await machine()), loadAverageAtStart: loadAtStart, loadAverageAtEnd: load() },
			setup: {
				sittings: votes.length,
				delegatesPerSitting: DELEGATES,
				secretBallots: ballots,
				committee: { members: COMMITTEE, threshold: THRESHOLD },
				openSittings: openVotes.length,
				openCasts: openVotes.length * DELEGATES,
				openScreens: openVotes.length * openScreens,
				windowMs: WINDOW_MS,
				dbPoolSize: POOL,
				ceremonySeconds: seconds(prepared.ceremonyS * 1000),
				encryption: { threads: prepared.threads, seconds: seconds(prepared.encryptS * 1000), ballots: ballots + warmUpVote.bodies.length },
				retryWithoutRetryAfterMs: RETRY_MS,
				notes: 'set-up through the services; ballots encrypted beforehand on worker threads with each delegate’s user id; each delegate casts on a kept-alive connection of its own; councils’ signing keys made before the run; warm-up: the city council’s secret vote cast, closed and counted, and an open one cast'
			},
			secret: {
				ballots,
				accepted,
				refused: ballots - accepted,
				...casts.figures(),
				acceptedAfterFirstSendMs: summary(acceptMs),
				firstSendToLastAcceptedMs,
				acceptedPerSecond: Math.round(accepted / ((lastAcceptedAt - start) / 1000)),
				ballotsStored,
				lostBallots: ballots - ballotsStored,
				votesCounted: counted.filter(Boolean).length,
				wrongCounts,
				closeAndCount: { ms: Math.round(closeEnd - closeStart), ...closes.figures() },
				firstSendToLastCountedMs
			},
			open: {
				casts: openVotes.length * DELEGATES,
				accepted: openAccepted,
				refused: openRefused,
				stored: Number(openStored.n),
				castRoundTripMs: summary(openRoundTripMs),
				castToEveryScreenMs: summary(deliveryMs),
				lostDeliveries
			},
			resources: {
				casting: { seconds: seconds(castingEnd - start), cpuSeconds: cpuSpent(cpuAtStart, cpuAfterCasting) },
				closeAndCount: { seconds: seconds(closeEnd - closeStart), cpuSeconds: cpuSpent(cpuAfterCasting, cpuAtEnd) },
				appPeakRssMiB,
				appPeakRssSince: peakFromWindow ? 'the first send' : 'the app’s start (warm-up included)',
				note: 'CPU seconds of the app (its worker threads included; its main thread alone beside), of this run’s PostgreSQL and of this client'
			},
			targets: {
				acceptedAndCountedWithinMs: TARGET_MS,
				allAccepted: accepted === ballots,
				nothingLost,
				met: nothingLost && firstSendToLastCountedMs <= TARGET_MS
			},
			totalSeconds: Math.round((Date.now() - started) / 1000)
		};
		const out = votes.length === CITY_SITTINGS ? 'bench/results' : 'bench/.tmp';
		mkdirSync(path.join(root, out), { recursive: true });
		writeFileSync(path.join(root, out, 'secret-city.json'), JSON.stringify(result, null, 2) + '\n');
		console.log(JSON.stringify(result, null, 2));
		log(`written to ${out}/secret-city.json${out === 'bench/results' ? ' (then npm run bench:report for the README)' : ''}`);
	} finally {
		controller.abort();
		for (const agent of agents) agent.destroy();
		if (app) await app.stop();
		await secretBallotJobs().close();
		await env.close();
	}
}

await main();
