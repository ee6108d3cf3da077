import type { Transaction } from 'kysely';
import type { Database } from '../../../../db/schema.js';
import { councilUserIds, notifyUsers } from './service';

type Trx = Transaction<Database>;
type Sitting = { id: string; council_id: string; title: string; starts_at: Date; venue: string | null };

/*
 * Quick notices (thông báo nhanh) to a council's delegates about their own sitting, written in the transaction
 * of the change: a delegate who is not on the sitting's screen learns of it from the bell (live) or the list.
 * Titles and bodies are the sitting's own words; the kind is translated where it is shown.
 */

/** A vote was opened: its question, in which sitting. */
export async function noticeVoteOpened(trx: Trx, sitting: Sitting, question: string): Promise<void> {
	const delegates = await councilUserIds(trx, sitting.council_id, ['delegate']);
	await notifyUsers(trx, { userIds: delegates, kind: 'vote.opened', title: question, body: sitting.title, link: `/sittings/${sitting.id}`, councilId: sitting.council_id });
}

/** Named to a counting committee (issue 17): the member's own screen, where their device takes its part of the key. */
export async function noticeCommittee(trx: Trx, sitting: Sitting, setupId: string, question: string, userIds: string[]): Promise<void> {
	await notifyUsers(trx, { userIds, kind: 'secretBallot.committee', title: question, body: sitting.title, link: `/sittings/${sitting.id}/committee/${setupId}`, councilId: sitting.council_id });
}
