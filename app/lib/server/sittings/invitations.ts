import { sql } from 'kysely';
import { DEFAULT_LOCALE, translate } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { scheduleJob, type JobPayloads } from '../notifications/schedule';
import { councilUserIds, notifyUsers } from '../notifications/service';
import type { Trx } from './events';

const HOUR = 3_600_000;

/** Reminders before a convened sitting opens (docs/domain.md: invitations and reminders). */
export const SITTING_REMINDERS = [
	{ lead: '24h', beforeMs: 24 * HOUR },
	{ lead: '1h', beforeMs: HOUR }
] as const;

/** Who is invited: everyone who sits in it. */
const INVITED = ['delegate', 'chair', 'secretary'] as const;

export interface InvitedSitting {
	id: string;
	council_id: string;
	title: string;
	starts_at: Date;
	venue: string | null;
}

/**
 * Stored notifications have no reader yet, so their text is written in the default language (Vietnamese, the
 * official one); the kind's label is translated where it is shown.
 */
function notice(key: 'sitting.notice.convened' | 'sitting.notice.reminder' | 'sitting.notice.changed', s: InvitedSitting): string {
	const time = translate(DEFAULT_LOCALE, key, { time: formatDateTime(s.starts_at) });
	return s.venue ? `${time} ${translate(DEFAULT_LOCALE, 'sitting.notice.venue', { venue: s.venue })}` : time;
}

async function invitedIds(trx: Trx, councilId: string): Promise<string[]> {
	return councilUserIds(trx, councilId, [...INVITED]);
}

/**
 * Stores the reminders of a sitting for its current start (times already past are skipped). The start is part
 * of the key, so scheduling again after the start moved adds the new reminders; the old ones find the start
 * changed when they run and stay silent.
 */
export async function scheduleSittingReminders(trx: Trx, s: InvitedSitting, now = new Date()): Promise<void> {
	const startsAt = s.starts_at.toISOString();
	for (const { lead, beforeMs } of SITTING_REMINDERS) {
		const runAt = new Date(s.starts_at.getTime() - beforeMs);
		if (runAt.getTime() <= now.getTime()) continue;
		await scheduleJob(trx, { kind: 'sitting.reminder', runAt, payload: { sittingId: s.id, startsAt, lead }, dedupeKey: `sitting.reminder:${s.id}:${startsAt}:${lead}` });
	}
}

/** On convening: the invitation to every member who sits in it, and the reminders before it opens. */
export async function inviteToSitting(trx: Trx, s: InvitedSitting, now = new Date()): Promise<void> {
	await notifyUsers(trx, { userIds: await invitedIds(trx, s.council_id), kind: 'sitting.convened', title: s.title, body: notice('sitting.notice.convened', s), link: `/sittings/${s.id}`, councilId: s.council_id });
	await scheduleSittingReminders(trx, s, now);
}

/**
 * A convened sitting whose start or venue changed (sitting.update): the invited were told the old ones, so they are
 * told the new ones, and the reminders follow the new start.
 */
export async function announceSittingChange(trx: Trx, s: InvitedSitting, now = new Date()): Promise<void> {
	await notifyUsers(trx, { userIds: await invitedIds(trx, s.council_id), kind: 'sitting.changed', title: s.title, body: notice('sitting.notice.changed', s), link: `/sittings/${s.id}`, councilId: s.council_id });
	await scheduleSittingReminders(trx, s, now);
}

/**
 * The stored job. Checked again when it runs, since a sitting may have opened, closed or moved since it was
 * stored: only a sitting still convened, still starting at the time this reminder was made for and not yet
 * begun is announced — to the members of that moment.
 */
export async function remindSitting(trx: Trx, p: JobPayloads['sitting.reminder'], now: Date): Promise<void> {
	const s = await trx.selectFrom('sittings').select(['id', 'council_id', 'title', 'starts_at', 'venue', 'status']).where('id', '=', p.sittingId).executeTakeFirst();
	if (!s || s.status !== 'convened' || s.starts_at.toISOString() !== p.startsAt || s.starts_at.getTime() <= now.getTime()) return;
	await notifyUsers(trx, { userIds: await invitedIds(trx, s.council_id), kind: 'sitting.reminder', title: s.title, body: notice('sitting.notice.reminder', s), link: `/sittings/${s.id}`, councilId: s.council_id });
}

/** Once a sitting has opened or closed its pending reminders have nothing left to say: they are marked done. */
export async function cancelSittingReminders(trx: Trx, sittingId: string, reason: string, now = new Date()): Promise<void> {
	await sql`update scheduled_jobs set done_at = ${now}, last_error = ${`cancelled: ${reason}`}
		where kind = 'sitting.reminder' and done_at is null and payload->>'sittingId' = ${sittingId}`.execute(trx);
}
