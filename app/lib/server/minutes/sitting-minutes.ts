import type { Db } from '../../../../db/client.js';
import type { Locale } from '../../i18n';
import { voteMinutes } from './vote-minutes';

/** The minutes of a sitting's votes, with the sitting's number (the files are named after it). */
export async function sittingMinutes(db: Db, sittingId: string, locale: Locale) {
	const [sitting, minutes] = await Promise.all([
		db.selectFrom('sittings').select('number').where('id', '=', sittingId).executeTakeFirstOrThrow(),
		voteMinutes(db, sittingId, locale)
	]);
	return { number: sitting.number, minutes };
}
