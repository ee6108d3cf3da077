import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { AccessToken } from 'livekit-server-sdk';
import type { EnabledMediaConfig } from './config';
import { createWebhookHandler } from './webhook';

const config: EnabledMediaConfig = {
	enabled: true,
	url: 'wss://video.example',
	apiKey: 'APIhook',
	apiSecret: 'hook-secret-hook-secret-hook-secret'
};
const NOW = new Date('2026-03-02T08:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

// Signed exactly as the LiveKit server does: a JWT (issuer = API key, valid 5 minutes) whose
// `sha256` claim is the base64 SHA-256 of the raw body, sent bare in the Authorization header.
async function sign(body: string, secret = config.apiSecret, hashOf = body): Promise<string> {
	const at = new AccessToken(config.apiKey, secret, { ttl: '5m' });
	at.sha256 = createHash('sha256').update(hashOf).digest('base64');
	return at.toJwt();
}

let counter = 0;
function payload(event: string, extra: Record<string, unknown> = {}, createdAt = nowSeconds - 2): string {
	counter += 1;
	// protojson as LiveKit emits it: camelCase, int64 as strings, enums by name
	return JSON.stringify({
		event,
		room: { sid: 'RM_abc', name: 'conference-C9' },
		participant: { sid: 'PA_1', identity: 'site-26734', name: 'Phường Bến Thành', state: 'ACTIVE' },
		id: `EV_${counter}`,
		createdAt: String(createdAt),
		...extra
	});
}

const handler = () => createWebhookHandler(config, { now: () => NOW });

describe('webhook: accepted events become domain events', () => {
	it('participant_joined', async () => {
		const body = payload('participant_joined');
		const result = await handler()(body, await sign(body));
		expect(result).toEqual({
			ok: true,
			event: {
				kind: 'participant_joined',
				id: JSON.parse(body).id,
				at: new Date((nowSeconds - 2) * 1000),
				room: 'conference-C9',
				roomKind: 'conference',
				roomId: 'C9',
				participant: { identity: 'site-26734', name: 'Phường Bến Thành', siteCode: '26734' }
			}
		});
	});

	it('participant_left of a personal account (no site code)', async () => {
		const body = payload('participant_left', {
			room: { name: 'sitting-12' },
			participant: { identity: 'acc-7', name: 'Đại biểu A' }
		});
		const result = await handler()(body, `Bearer ${await sign(body)}`);
		expect(result.ok && result.event).toMatchObject({
			kind: 'participant_left',
			roomKind: 'sitting',
			roomId: '12',
			participant: { identity: 'acc-7', siteCode: null }
		});
	});

	it.each([
		['track_published', 'MICROPHONE', 'microphone'],
		['track_unpublished', 'CAMERA', 'camera']
	])('%s with source %s', async (kind, source, name) => {
		const body = payload(kind, { track: { sid: 'TR_x', type: 'AUDIO', source, muted: false } });
		const result = await handler()(body, await sign(body));
		expect(result.ok && result.event).toMatchObject({
			kind,
			participant: { identity: 'site-26734' },
			track: { sid: 'TR_x', source: name, muted: false }
		});
	});

	it('other genuine events are acknowledged as "other"', async () => {
		const body = payload('room_started');
		const result = await handler()(body, await sign(body));
		expect(result.ok && result.event).toMatchObject({ kind: 'other', type: 'room_started' });
	});
});

describe('webhook: rejections', () => {
	it('unsigned', async () => {
		const body = payload('participant_joined');
		expect(await handler()(body, null)).toEqual({ ok: false, status: 401, reason: 'unsigned' });
		expect(await handler()(body, '')).toEqual({ ok: false, status: 401, reason: 'unsigned' });
	});

	it('forged with another secret', async () => {
		const body = payload('participant_joined');
		const result = await handler()(body, await sign(body, 'attacker-secret-attacker-secret-xx'));
		expect(result).toEqual({ ok: false, status: 401, reason: 'bad_signature' });
	});

	it('garbage token', async () => {
		const body = payload('participant_joined');
		expect(await handler()(body, 'not.a.jwt')).toMatchObject({ ok: false, reason: 'bad_signature' });
	});

	it('body changed after signing (hash mismatch)', async () => {
		const body = payload('participant_joined');
		const token = await sign(body);
		const tampered = body.replace('site-26734', 'site-00001');
		expect(await handler()(tampered, token)).toEqual({ ok: false, status: 401, reason: 'body_mismatch' });
	});

	it('stale: createdAt older than 5 minutes, or missing', async () => {
		const old = payload('participant_joined', {}, nowSeconds - 301);
		expect(await handler()(old, await sign(old))).toEqual({ ok: false, status: 401, reason: 'stale' });
		const edge = payload('participant_joined', {}, nowSeconds - 299);
		expect((await handler()(edge, await sign(edge))).ok).toBe(true);
		const none = JSON.stringify({ ...JSON.parse(payload('participant_joined')), createdAt: undefined });
		expect(await handler()(none, await sign(none))).toMatchObject({ ok: false, reason: 'stale' });
		const future = payload('participant_joined', {}, nowSeconds + 120);
		expect(await handler()(future, await sign(future))).toMatchObject({ ok: false, reason: 'stale' });
	});

	it('replayed: the same event id twice', async () => {
		const handle = handler();
		const body = payload('participant_joined');
		expect((await handle(body, await sign(body))).ok).toBe(true);
		expect(await handle(body, await sign(body))).toEqual({ ok: false, status: 401, reason: 'replayed' });
	});

	it('replayed: concurrent deliveries of one id — only one wins', async () => {
		const handle = handler();
		const body = payload('participant_joined');
		const token = await sign(body);
		const results = await Promise.all([handle(body, token), handle(body, token), handle(body, token)]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('replayed: known to the persistent hook (e.g. after a restart)', async () => {
		const seen = vi.fn(async (id: string) => id === 'EV_persisted');
		const handle = createWebhookHandler(config, { now: () => NOW, seen });
		const body = JSON.stringify({ ...JSON.parse(payload('participant_left')), id: 'EV_persisted' });
		expect(await handle(body, await sign(body))).toMatchObject({ ok: false, reason: 'replayed' });
		const fresh = payload('participant_left');
		expect((await handle(fresh, await sign(fresh))).ok).toBe(true);
		expect(seen).toHaveBeenCalledTimes(2);
	});

	it('a failing persistent hook propagates and does not burn the id', async () => {
		let fail = true;
		const handle = createWebhookHandler(config, {
			now: () => NOW,
			seen: () => {
				if (fail) throw new Error('db down');
				return false;
			}
		});
		const body = payload('participant_joined');
		await expect(handle(body, await sign(body))).rejects.toThrow('db down');
		fail = false;
		expect((await handle(body, await sign(body))).ok).toBe(true); // LiveKit's retry is accepted
	});

	it('evicts the oldest ids beyond the cache size (the hook is the durable guard)', async () => {
		const handle = createWebhookHandler(config, { now: () => NOW, cacheSize: 2 });
		const a = payload('participant_joined');
		const b = payload('participant_joined');
		const c = payload('participant_joined');
		for (const body of [a, b, c]) expect((await handle(body, await sign(body))).ok).toBe(true);
		expect((await handle(c, await sign(c))).ok).toBe(false);
		expect((await handle(a, await sign(a))).ok).toBe(true);
	});

	it('signed but malformed bodies', async () => {
		const notJson = '{"event": ';
		expect(await handler()(notJson, await sign(notJson))).toMatchObject({ ok: false, reason: 'malformed' });
		const noId = JSON.stringify({ ...JSON.parse(payload('participant_joined')), id: '' });
		expect(await handler()(noId, await sign(noId))).toMatchObject({ ok: false, reason: 'missing_id' });
		const noParticipant = JSON.stringify({ ...JSON.parse(payload('participant_joined')), participant: undefined });
		expect(await handler()(noParticipant, await sign(noParticipant))).toMatchObject({ ok: false, reason: 'malformed' });
	});

	it('rejects everything when video is not configured', async () => {
		const body = payload('participant_joined');
		const handle = createWebhookHandler({ enabled: false });
		expect(await handle(body, await sign(body))).toMatchObject({ ok: false, reason: 'bad_signature' });
	});
});
