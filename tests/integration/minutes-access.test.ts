import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadUser, type AuthUser } from '../../app/lib/server/auth/current-user';
import { translate } from '../../app/lib/i18n';
import { GET as minutesGet } from '../../app/routes/api/minutes/[sittingId=uuid]/[file]/+server';
import { db, userIdOf } from '../helpers/callers';
import { convenedSitting } from '../helpers/sittings';

// GET /api/minutes/{sittingId}/{file} authorises through `sitting.minutes` (serverCaller): a prober cannot tell an
// unknown sitting from another council's, the council's own readers get the file.

type MinutesEvent = Parameters<typeof minutesGet>[0];

/** The route's answer as the client gets it: the status, and the body of a refusal or the file's type and text. */
async function get(sittingId: string, file: string, user: AuthUser | null, locale: 'vi' | 'en' = 'vi') {
	const url = new URL(`http://localhost/api/minutes/${sittingId}/${file}`);
	const event = { params: { sittingId, file }, url, request: new Request(url), locals: { locale, user, sessionToken: null }, getClientAddress: () => '127.0.0.1', cookies: { set: () => {}, delete: () => {} } };
	try {
		const res = await minutesGet(event as unknown as MinutesEvent);
		return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
	} catch (err) {
		const refusal = err as { status?: number; body?: unknown };
		if (typeof refusal.status !== 'number') throw err;
		return { status: refusal.status, body: refusal.body };
	}
}

async function userNamed(username: string): Promise<AuthUser> {
	return (await loadUser(db(), await userIdOf(username)))!;
}

describe('GET /api/minutes/{sittingId}/{file}: who may read', () => {
	it('answers an unknown sitting exactly as another council’s, and the council’s own reader with the file', async () => {
		const own = await convenedSitting('26743');
		const foreign = await convenedSitting('26740');
		const delegate = await userNamed('delegate.26743.4');
		const forbidden = { status: 403, body: { message: translate('vi', 'auth.forbidden') } };

		const unknown = await get(randomUUID(), 'minutes.csv', delegate);
		const other = await get(foreign.sittingId, 'minutes.csv', delegate);
		expect(unknown).toEqual(forbidden);
		expect(other).toEqual(unknown);
		// The same in English, and for the PDF.
		expect(await get(randomUUID(), 'minutes.pdf', delegate, 'en')).toEqual(await get(foreign.sittingId, 'minutes.pdf', delegate, 'en'));
		expect((await get(foreign.sittingId, 'minutes.pdf', delegate, 'en')).body).toEqual({ message: translate('en', 'auth.forbidden') });
		// Even a file name that does not exist says nothing before the caller proves to read the sitting.
		expect(await get(foreign.sittingId, 'other.txt', delegate)).toEqual(forbidden);

		const mine = await get(own.sittingId, 'minutes.csv', delegate);
		expect({ status: mine.status, type: mine.type }).toEqual({ status: 200, type: 'text/csv; charset=utf-8' });
		expect(mine.text).toContain(translate('vi', 'minutes.chainHead'));
		const pdf = await get(own.sittingId, 'minutes.pdf', delegate);
		expect({ status: pdf.status, type: pdf.type, head: pdf.text?.slice(0, 5) }).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
		expect(await get(own.sittingId, 'other.txt', delegate)).toEqual({ status: 404, body: { message: translate('vi', 'sitting.notFound') } });

		// A city monitor reads every council's minutes.
		expect((await get(foreign.sittingId, 'minutes.csv', await userNamed('monitor.city'))).status).toBe(200);
	});

	it('asks an anonymous caller to sign in, whatever the id', async () => {
		const foreign = await convenedSitting('26740');
		const required = { status: 401, body: { message: translate('vi', 'auth.required') } };
		expect(await get(randomUUID(), 'minutes.csv', null)).toEqual(required);
		expect(await get(foreign.sittingId, 'minutes.csv', null)).toEqual(required);
	});
});
