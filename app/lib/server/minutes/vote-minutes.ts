import { createHash } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import { ANCHOR_EVENT, asSignedAnchor } from '../../chain-anchors/anchor';
import { translate, type Locale } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ruleLabelKey, type PassRule } from '../../domain/pass-rule';

export interface VoteMinutesRow {
	index: number;
	question: string;
	kind: string;
	ballotType: string;
	status: string;
	rule: string;
	seated: number | null;
	present: number | null;
	yes: number | null;
	no: number | null;
	abstain: number | null;
	notVoted: number | null;
	passed: boolean | null;
	closedAt: string | null;
	note: string;
}

/** Biên bản kết quả biểu quyết: every vote of a sitting with its result, as stored at its close. */
export async function voteMinutes(db: Db, sittingId: string, locale: Locale) {
	const sitting = await db
		.selectFrom('sittings as s')
		.innerJoin('councils as c', 'c.id', 's.council_id')
		.select(['s.title', 's.number', 's.starts_at', 's.head_hash', 's.last_seq', 'c.name as council_name', 'c.term_label'])
		.where('s.id', '=', sittingId)
		.executeTakeFirstOrThrow();
	const votes = await db.selectFrom('votes').selectAll().where('sitting_id', '=', sittingId).orderBy('opened_at').execute();
	const rows: VoteMinutesRow[] = votes.map((v, i) => {
		const r = (v.result ?? {}) as Record<string, unknown>;
		const num = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : null);
		const label = ruleLabelKey(v.rule as PassRule, num('seated') ?? undefined);
		let note = '';
		if (v.status === 'void') note = `${translate(locale, 'minutes.void')}: ${v.void_reason ?? ''}`;
		else if (v.ballot_type === 'election') note = ((r.candidates ?? []) as { name: string; votes: number; elected: boolean }[]).map((c) => `${c.name}: ${c.votes}${c.elected ? ` (${translate(locale, 'election.elected')})` : ''}`).join('; ');
		else if (v.ballot_type === 'confidence') note = ((r.persons ?? []) as { name: string; high: { count: number }; confidence: { count: number }; low: { count: number } }[]).map((p) => `${p.name}: ${p.high.count}/${p.confidence.count}/${p.low.count}`).join('; ');
		return {
			index: i + 1,
			question: v.question,
			kind: translate(locale, `minutes.kind.${v.kind}`),
			ballotType: v.ballot_type,
			status: translate(locale, `minutes.status.${v.status}`),
			rule: translate(locale, label.key, label.params),
			seated: num('seated'),
			present: num('present'),
			yes: num('yes'),
			no: num('no'),
			abstain: num('abstain'),
			notVoted: num('notVoted'),
			passed: typeof r.passed === 'boolean' ? r.passed : null,
			closedAt: v.closed_at ? formatDateTime(v.closed_at) : null,
			note
		};
	});
	return {
		anchor: await lastAnchor(db, sittingId),
		title: `${translate(locale, 'minutes.title')} — ${sitting.title}`,
		council: `${translate(locale, 'council.short', { name: sitting.council_name })}, ${translate(locale, 'council.term')} ${sitting.term_label}, ${translate(locale, 'minutes.sittingNumber', { number: sitting.number })}`,
		startsAt: formatDateTime(sitting.starts_at),
		chainHead: sitting.head_hash,
		events: Number(sitting.last_seq),
		generatedAt: formatDateTime(new Date()),
		rows
	};
}

/**
 * The sitting's last signed chain head (sittings/anchor.ts), for the minutes' last lines: a printed copy kept outside
 * the database, like a screen's. The fingerprints let a reader match the printed head with a kept or published one.
 */
async function lastAnchor(db: Db, sittingId: string) {
	const row = await db.selectFrom('sitting_events').select('payload').where('sitting_id', '=', sittingId).where('type', '=', ANCHOR_EVENT).orderBy('seq', 'desc').limit(1).executeTakeFirst();
	const anchor = row ? asSignedAnchor(row.payload) : null;
	if (!anchor) return null;
	return {
		seq: anchor.seq,
		hash: anchor.hash,
		signedAt: formatDateTime(anchor.signedAt),
		keyId: anchor.keyId,
		signatureSha256: createHash('sha256').update(Buffer.from(anchor.signature, 'base64')).digest('hex')
	};
}
