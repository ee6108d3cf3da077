import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db, userIdOf } from '../helpers/callers';
import { closeDb, getDb } from '../../app/lib/server/db';
import { setMessageAdapter, type OutgoingMessage } from '../../app/lib/server/notifications/adapters';
import { runDueJobs } from '../../app/lib/server/notifications/runner';
import { scheduleJob } from '../../app/lib/server/notifications/schedule';
import { stopCityHub } from '../../app/lib/server/monitor/hub';
import type { NotificationView } from '../../app/lib/server/notifications/service';
import { COUNCIL, checkIn, convenedSitting, delegates, upcomingStartText } from '../helpers/sittings';

describe('reminders and notifications', () => {
	it('fires a reminder stored before a restart after the restart, once, also by email through the adapter', async () => {
		const userId = await userIdOf('delegate.26743.5');
		await db().updateTable('users').set({ email: 'daibieu5@example.vn' }).where('id', '=', userId).execute();
		await scheduleJob(db(), { kind: 'reminder', runAt: new Date(Date.now() + 800), payload: { userIds: [userId], title: 'Nhắc: họp chuyên đề 8 giờ sáng mai' }, dedupeKey: 'test-reminder-1' });
		// Scheduling again with the same key stores nothing new.
		await scheduleJob(db(), { kind: 'reminder', runAt: new Date(Date.now() + 800), payload: { userIds: [userId], title: 'trùng' }, dedupeKey: 'test-reminder-1' });
		expect(await runDueJobs(db())).toBe(0); // not due yet

		// "Restart": the process's state goes away (pool, hub); only the database remains.
		await stopCityHub();
		await closeDb();
		await sleep(900);
		const sent: OutgoingMessage[] = [];
		setMessageAdapter(() => ({ name: 'test', send: async (m) => void sent.push(m) }));
		try {
			expect(await runDueJobs(getDb())).toBe(1);
			expect(await runDueJobs(getDb())).toBe(0);
		} finally {
			setMessageAdapter(null);
		}
		const delegate = await as('delegate.26743.5');
		const { items, unread } = await delegate.notification.list();
		expect(items.filter((n) => n.kind === 'reminder').map((n) => n.title)).toEqual(['Nhắc: họp chuyên đề 8 giờ sáng mai']);
		expect(unread).toBeGreaterThanOrEqual(1);
		expect(sent).toEqual([expect.objectContaining({ channel: 'email', to: 'daibieu5@example.vn', subject: 'Nhắc: họp chuyên đề 8 giờ sáng mai' })]);
		const job = await getDb().selectFrom('scheduled_jobs').select(['done_at', 'attempts']).where('dedupe_key', '=', 'test-reminder-1').executeTakeFirstOrThrow();
		expect(job.done_at).not.toBeNull();
	});

	it('logs email/SMS with the default log adapter', async () => {
		const userId = await userIdOf('delegate.26743.6');
		await db().updateTable('users').set({ phone: '0901234567' }).where('id', '=', userId).execute();
		await scheduleJob(db(), { kind: 'reminder', runAt: new Date(), payload: { userIds: [userId], title: 'Thông báo nhanh' } });
		await runDueJobs(db());
		const logged = await db().selectFrom('message_log').selectAll().where('channel', '=', 'sms').execute();
		expect(logged.map((l) => l.recipient)).toEqual(['09***67']);
	});

	it('marks only the caller’s notifications read, and delivers new ones live', async () => {
		const chair = await as('chair.26743');
		const stream = (await chair.notification.stream()) as AsyncIterable<[string, NotificationView]>;
		const it = stream[Symbol.asyncIterator]();
		const next = it.next();
		await sleep(200);
		const councilId = await councilIdOf('26743');
		await (await as('delegate.26743.3')).petition.create({ councilId, topic: 'Chiếu sáng', area: 'Khu phố 3', text: 'Lắp đèn đường hẻm 12' });
		const [id, live] = (await next).value as [string, NotificationView];
		expect(live).toMatchObject({ id, kind: 'petition.created', title: 'Chiếu sáng' });
		await it.return?.(undefined);

		const other = await as('secretary.26743');
		expect(await other.notification.markRead({ ids: [id] })).toMatchObject({ updated: 0 });
		const before = (await chair.notification.list()).unread;
		expect(await chair.notification.markRead({ ids: [id] })).toMatchObject({ updated: 1, unread: before - 1 });
		await chair.notification.markRead({ all: true });
		expect((await chair.notification.list()).unread).toBe(0);
	});

	it('lets a chair schedule a reminder to the delegates', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		expect(await chair.notification.scheduleReminder({ councilId, runAt: new Date(), title: 'Nộp ý kiến trước thứ Sáu' })).toEqual({ scheduled: true, recipients: 30 });
		await expect((await as('delegate.26743.1')).notification.scheduleReminder({ councilId, runAt: new Date(), title: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await runDueJobs(db());
		expect((await (await as('delegate.26743.30')).notification.list()).items[0].title).toBe('Nộp ý kiến trước thứ Sáu');
	});
	it('tells the council’s members that their sitting was convened, and its delegates (no one else) that a vote opened', async () => {
		const { sittingId, itemId, chair, startsAt } = await convenedSitting();
		const link = `/sittings/${sittingId}`;
		const delegate = await as('delegate.26743.7');
		const convened = (await delegate.notification.list()).items.find((n) => n.link === link);
		// The helper's start is 01:00 UTC, which is 08:00 in Ho Chi Minh City.
		expect(convened).toMatchObject({ kind: 'sitting.convened', title: 'Kỳ họp thường lệ', body: `Kỳ họp được triệu tập, khai mạc lúc ${upcomingStartText(startsAt)}.`, readAt: null });

		await checkIn(sittingId, delegates(COUNCIL, 20));
		await chair.sitting.start({ sittingId });
		await chair.vote.open({ sittingId, itemId, question: 'Thông qua dự thảo nghị quyết?', kind: 'open' });
		const { items } = await delegate.notification.list();
		expect(items.filter((n) => n.link === link).map((n) => [n.kind, n.title, n.body])).toEqual([
			['vote.opened', 'Thông qua dự thảo nghị quyết?', 'Kỳ họp thường lệ'],
			['sitting.convened', 'Kỳ họp thường lệ', `Kỳ họp được triệu tập, khai mạc lúc ${upcomingStartText(startsAt)}.`]
		]);
		// The invitation to all who sit in it (30 delegates, the chair, the secretary), once each; the vote to every
		// seated delegate, not the chair; nothing to another council.
		const rows = await db().selectFrom('notifications').select(['user_id', 'kind']).where('link', '=', link).execute();
		const votes = rows.filter((r) => r.kind === 'vote.opened');
		expect(votes).toHaveLength(30);
		expect(new Set(rows.filter((r) => r.kind === 'sitting.convened').map((r) => r.user_id)).size).toBe(32);
		expect(votes.map((r) => r.user_id)).not.toContain(await userIdOf('chair.26743'));
		expect((await (await as('delegate.26740.1')).notification.list()).items.filter((n) => n.link === link)).toEqual([]);
	});
});
