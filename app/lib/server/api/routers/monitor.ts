import { tracked } from '@trpc/server';
import { z } from 'zod';
import { councilDetail } from '../../monitor/council-detail';
import { hasCityRole } from '../../auth/current-user';
import { cityHub } from '../../monitor/hub';
import { monitorOverview, totals } from '../../monitor/overview';
import { untilRevoked } from '../../realtime/stream-guard';
import { notFound } from '../../errors';
import { router } from '../init';
import { cityRoleProcedure } from '../procedures';

/** The city standing committee's dashboard (bảng điều hành số): reads every council, writes nothing. */
const cityReader = cityRoleProcedure('monitor', 'admin');

export const monitorRouter = router({
	/** Exactly one row per council (169), live status and counts, from one aggregate query. */
	overview: cityReader.query(async ({ ctx }) => {
		const rows = await monitorOverview(ctx.db);
		return { rows, totals: totals(rows), at: new Date().toISOString() };
	}),

	/** One council over time (monthly figures for charts) and its latest sittings. */
	council: cityReader.input(z.object({ councilId: z.uuid() })).query(async ({ ctx, input }) => {
		const detail = await councilDetail(ctx.db, input.councilId);
		if (!detail.row) throw notFound('what.council');
		return { ...detail, row: detail.row };
	}),

	/**
	 * ONE stream for all 169 councils: first a full snapshot, then — coalesced every 500 ms — the rows of the
	 * councils that changed. After a reconnect the first message is a full snapshot again.
	 */
	events: cityReader
		.input(z.object({ lastEventId: z.string().max(40).nullish() }).optional())
		.subscription(async function* ({ ctx, signal }) {
			// Ends with the session, or when the caller is no longer monitor or admin.
			const live = untilRevoked(ctx, signal, (user) => hasCityRole(user, 'monitor', 'admin'));
			for await (const batch of cityHub().monitorStream(live)) {
				yield tracked(String(batch.version), batch);
			}
		})
});
