import { randomUUID } from 'node:crypto';
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { councilIdOf, db } from '../helpers/callers';
import { RESOLUTION_BODY } from '../helpers/matrix/fixtures';
import { convenedSitting } from '../helpers/sittings';

/** A draft resolution of the ward (a row to point at; the key does not care about its status). */
async function wardResolution() {
	const { itemId, chair, councilId } = await convenedSitting();
	const { resolutionId } = await chair.resolution.draft({ itemId, title: 'Về chỉnh trang đô thị', body: RESOLUTION_BODY });
	return { resolutionId, councilId };
}

function insertTask(councilId: string, resolutionId: string | null, resolutionRef: string | null = null) {
	return db()
		.insertInto('followup_tasks')
		.values({ council_id: councilId, resolution_id: resolutionId, resolution_ref: resolutionRef, title: 'Triển khai', agency: 'UBND', deadline: new Date(Date.now() + 86_400_000) })
		.returning('id')
		.executeTakeFirstOrThrow();
}

describe('follow-up tasks → resolutions foreign key (migration 0006)', () => {
	it('refuses, in the database, a task naming a missing resolution or another council’s', async () => {
		const { resolutionId, councilId } = await wardResolution();
		const other = await councilIdOf('26737');
		await expect(insertTask(councilId, randomUUID())).rejects.toMatchObject({ code: '23503' });
		await expect(insertTask(other, resolutionId)).rejects.toMatchObject({ code: '23503' });
		const ok = await insertTask(councilId, resolutionId);
		// A free-text reference alone is still fine.
		await insertTask(councilId, null, '05/2026/NQ-HĐND');
		const row = await db().selectFrom('followup_tasks').select('resolution_id').where('id', '=', ok.id).executeTakeFirstOrThrow();
		expect(row.resolution_id).toBe(resolutionId);
	});

	it('keeps a dangling id written before the key as free text, and goes down and up again', async () => {
		const { resolutionId, councilId } = await wardResolution();
		const migrator = new Migrator({ db: db(), provider: { getMigrations: async () => migrations } });
		// Back to 0005 (later migrations go down first).
		const down = await migrator.migrateTo('0005_city_view');
		expect(down.error).toBeUndefined();
		expect(down.results?.map((r) => r.migrationName).at(-1)).toBe('0006_followup_resolution_fk');

		// Without the key, as under 0005: a dangling id, one of another council, and a good one.
		const dangling = randomUUID();
		const lost = await insertTask(councilId, dangling);
		const foreign = await insertTask(await councilIdOf('26737'), resolutionId, 'NQ của phường khác');
		const good = await insertTask(councilId, resolutionId);

		await migrateToLatest(db());
		const rows = await db().selectFrom('followup_tasks').select(['id', 'resolution_id', 'resolution_ref']).where('id', 'in', [lost.id, foreign.id, good.id]).execute();
		const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
		expect(byId[lost.id]).toMatchObject({ resolution_id: null, resolution_ref: dangling });
		expect(byId[foreign.id]).toMatchObject({ resolution_id: null, resolution_ref: 'NQ của phường khác' });
		expect(byId[good.id]).toMatchObject({ resolution_id: resolutionId, resolution_ref: null });
		await expect(insertTask(councilId, randomUUID())).rejects.toMatchObject({ code: '23503' });
	});
});
