import { describe, expect, it } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import type { EnabledMediaConfig } from './config';
import { isMediaError } from './errors';
import type { MediaRole } from './grants';
import { issueToken, MAX_TOKEN_TTL_SECONDS } from './tokens';

const config: EnabledMediaConfig = {
	enabled: true,
	url: 'https://video.hdnd.example',
	apiKey: 'APItest',
	apiSecret: 'test-secret-that-is-at-least-32-characters'
};
const verifier = new TokenVerifier(config.apiKey, config.apiSecret);

// The JWT carries track sources as strings (livekit-server-sdk claimsToJwtPayload).
const expected: Record<MediaRole, { floor: object; noFloor: object }> = {
	chair: {
		floor: { roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true },
		noFloor: { roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true }
	},
	host: {
		floor: { roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true },
		noFloor: { roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true }
	},
	delegate: {
		floor: {
			roomJoin: true,
			canSubscribe: true,
			canPublish: true,
			canPublishSources: ['camera', 'microphone'],
			canPublishData: false
		},
		noFloor: { roomJoin: true, canSubscribe: true, canPublish: true, canPublishSources: ['camera'], canPublishData: false }
	},
	site: {
		floor: {
			roomJoin: true,
			canSubscribe: true,
			canPublish: true,
			canPublishSources: ['camera', 'microphone'],
			canPublishData: false
		},
		noFloor: { roomJoin: true, canSubscribe: true, canPublish: true, canPublishSources: ['camera'], canPublishData: false }
	},
	monitor: {
		floor: { roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false },
		noFloor: { roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false }
	},
	display: {
		floor: { roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false },
		noFloor: { roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false }
	}
};

describe('issueToken', () => {
	for (const role of Object.keys(expected) as MediaRole[]) {
		for (const holdsFloor of [false, true]) {
			it(`${role} ${holdsFloor ? 'with' : 'without'} the floor gets exactly its grants`, async () => {
				const identity = role === 'site' ? 'site-26734' : 'acc-42';
				const before = Math.floor(Date.now() / 1000);
				const issued = await issueToken(config, {
					roomKind: role === 'host' || role === 'site' ? 'conference' : 'sitting',
					id: 'S7',
					identity,
					name: 'Phường Bến Thành',
					role,
					holdsFloor
				});
				const claims = await verifier.verify(issued.token);
				const room = role === 'host' || role === 'site' ? 'conference-S7' : 'sitting-S7';
				expect(claims.video).toEqual({ ...(holdsFloor ? expected[role].floor : expected[role].noFloor), room });
				expect(claims.sub).toBe(identity);
				expect(claims.name).toBe('Phường Bến Thành');
				expect(claims.iss).toBe(config.apiKey);
				expect(claims.exp! - claims.nbf!).toBe(2 * 60 * 60);
				expect(claims.exp).toBeGreaterThanOrEqual(before + 2 * 60 * 60);
				expect(issued.expiresAt.getTime()).toBe(claims.exp! * 1000);
				expect(issued.url).toBe('wss://video.hdnd.example');
				expect(issued.room).toBe(room);
			});
		}
	}

	it('honours a shorter lifetime and allows exactly 6 hours', async () => {
		const short = await issueToken(config, { ...base(), ttlSeconds: 600 });
		const claims = await verifier.verify(short.token);
		expect(claims.exp! - claims.nbf!).toBe(600);
		const max = await issueToken(config, { ...base(), ttlSeconds: MAX_TOKEN_TTL_SECONDS });
		const maxClaims = await verifier.verify(max.token);
		expect(maxClaims.exp! - maxClaims.nbf!).toBe(6 * 60 * 60);
	});

	it.each([MAX_TOKEN_TTL_SECONDS + 1, 0, -5, 1.5, 30])('refuses a lifetime of %s seconds', async (ttlSeconds) => {
		await expect(issueToken(config, { ...base(), ttlSeconds })).rejects.toSatisfy((e) => isMediaError(e, 'INVALID_ARGUMENT'));
	});

	it('is not verifiable with another secret', async () => {
		const issued = await issueToken(config, base());
		await expect(new TokenVerifier(config.apiKey, 'another-secret-another-secret-xx').verify(issued.token)).rejects.toThrow();
	});

	it('reports NOT_CONFIGURED when video is disabled', async () => {
		await expect(issueToken({ enabled: false }, base())).rejects.toSatisfy((e) => isMediaError(e, 'NOT_CONFIGURED'));
	});

	it('keeps site identities for the site role only', async () => {
		await expect(issueToken(config, { ...base(), role: 'site', identity: 'acc-42' })).rejects.toSatisfy((e) =>
			isMediaError(e, 'INVALID_ARGUMENT')
		);
		await expect(issueToken(config, { ...base(), role: 'delegate', identity: 'site-26734' })).rejects.toSatisfy((e) =>
			isMediaError(e, 'INVALID_ARGUMENT')
		);
	});

	it('rejects room ids that would break the room name', async () => {
		await expect(issueToken(config, { ...base(), id: '../x' })).rejects.toSatisfy((e) => isMediaError(e, 'INVALID_ARGUMENT'));
	});
});

function base() {
	return {
		roomKind: 'sitting' as const,
		id: 12,
		identity: 'acc-1',
		name: 'Chủ tọa',
		role: 'delegate' as const,
		holdsFloor: false
	};
}
