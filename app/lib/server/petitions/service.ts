import type { Db } from '../../../../db/client.js';
import type { PetitionStatus } from '../../../../db/schema.js';
import { AppError } from '../errors';
import { councilChanged, councilUserIds, notifyUsers } from '../notifications/service';

export async function createPetition(db: Db, input: { councilId: string; topic: string; area: string; text: string; createdBy: string }) {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('petitions')
			.values({ council_id: input.councilId, topic: input.topic, area: input.area, text: input.text, created_by: input.createdBy })
			.returning('id')
			.executeTakeFirstOrThrow();
		const officers = (await councilUserIds(trx, input.councilId, ['chair', 'secretary'])).filter((u) => u !== input.createdBy);
		await notifyUsers(trx, { userIds: officers, kind: 'petition.created', title: input.topic, body: input.area, link: '/petitions', councilId: input.councilId });
		await councilChanged(trx, input.councilId);
		return { petitionId: row.id };
	});
}

export async function petitionCouncil(db: Db, id: string): Promise<string | null> {
	return (await db.selectFrom('petitions').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
}

export async function assignPetition(db: Db, input: { petitionId: string; agency: string }) {
	return db.transaction().execute(async (trx) => {
		const p = await trx.selectFrom('petitions').select(['id', 'council_id', 'status']).where('id', '=', input.petitionId).forUpdate().executeTakeFirst();
		if (!p) throw new AppError('NOT_FOUND', 'petition.notFound');
		if (p.status === 'answered' || p.status === 'closed') throw new AppError('CONFLICT', 'petition.alreadyAnswered');
		await trx.updateTable('petitions').set({ agency: input.agency, status: 'assigned', assigned_at: new Date() }).where('id', '=', p.id).execute();
		await councilChanged(trx, p.council_id);
		return { petitionId: p.id, status: 'assigned' as const };
	});
}

export async function answerPetition(db: Db, input: { petitionId: string; answer: string; status: 'answered' | 'closed'; userId: string }) {
	return db.transaction().execute(async (trx) => {
		const p = await trx.selectFrom('petitions').select(['id', 'council_id', 'status', 'topic', 'created_by']).where('id', '=', input.petitionId).forUpdate().executeTakeFirst();
		if (!p) throw new AppError('NOT_FOUND', 'petition.notFound');
		if (p.status === 'closed') throw new AppError('CONFLICT', 'petition.alreadyClosed');
		await trx.updateTable('petitions').set({ answer: input.answer, status: input.status, answered_at: new Date(), answered_by: input.userId }).where('id', '=', p.id).execute();
		if (p.created_by && p.created_by !== input.userId) {
			await notifyUsers(trx, { userIds: [p.created_by], kind: 'petition.answered', title: p.topic, body: input.answer.slice(0, 200), link: '/petitions', councilId: p.council_id });
		}
		await councilChanged(trx, p.council_id);
		return { petitionId: p.id, status: input.status };
	});
}

export async function listPetitions(db: Db, councilIds: string[], status?: PetitionStatus) {
	if (councilIds.length === 0) return [];
	let q = db
		.selectFrom('petitions as p')
		.innerJoin('councils as c', 'c.id', 'p.council_id')
		.leftJoin('users as u', 'u.id', 'p.created_by')
		.select(['p.id', 'p.council_id', 'c.name as council_name', 'p.topic', 'p.area', 'p.text', 'p.status', 'p.agency', 'p.answer', 'p.created_at', 'p.assigned_at', 'p.answered_at', 'u.full_name as created_by_name'])
		.where('p.council_id', 'in', councilIds);
	if (status) q = q.where('p.status', '=', status);
	const rows = await q.orderBy('p.created_at', 'desc').limit(500).execute();
	return rows.map((r) => ({
		id: r.id,
		councilId: r.council_id,
		councilName: r.council_name,
		topic: r.topic,
		area: r.area,
		text: r.text,
		status: r.status,
		agency: r.agency,
		answer: r.answer,
		createdBy: r.created_by_name,
		createdAt: r.created_at.toISOString(),
		assignedAt: r.assigned_at?.toISOString() ?? null,
		answeredAt: r.answered_at?.toISOString() ?? null
	}));
}
