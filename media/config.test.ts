import { describe, expect, it } from 'vitest';
import { WEAK_SECRET_PROBLEM, browserConnectSources, httpUrl, readMediaConfig, websocketUrl } from './config';

const SECRET = 'k7Qm2vX9pL4sT8wZ1cF6hJ3nB5dR0yGe';

describe('readMediaConfig', () => {
	it('is disabled when nothing is set', () => {
		expect(readMediaConfig({})).toEqual({ enabled: false });
		expect(readMediaConfig({ LIVEKIT_URL: '  ', LIVEKIT_API_KEY: '' })).toEqual({ enabled: false });
	});

	it('is enabled with all three variables', () => {
		expect(
			readMediaConfig({ LIVEKIT_URL: 'wss://video.example/', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET })
		).toEqual({ enabled: true, url: 'wss://video.example', apiKey: 'k', apiSecret: SECRET });
	});

	it('is disabled, with the reasons, when half configured or malformed', () => {
		const partial = readMediaConfig({ LIVEKIT_URL: 'wss://video.example' });
		expect(partial.enabled).toBe(false);
		expect(partial.enabled === false && partial.problems?.join(' ')).toMatch(/LIVEKIT_API_KEY.*LIVEKIT_API_SECRET/);
		const badUrl = readMediaConfig({ LIVEKIT_URL: 'ftp://x', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET });
		expect(badUrl).toEqual({ enabled: false, problems: [expect.stringMatching(/LIVEKIT_URL/)] });
	});

	it('refuses a secret shorter than 32 characters (every delegate holds a token signed with it), in Vietnamese', () => {
		const env = { LIVEKIT_URL: 'wss://video.example', LIVEKIT_API_KEY: 'devkey' };
		for (const secret of ['secret', SECRET.slice(0, 31), ` ${SECRET.slice(0, 31)}  `]) {
			expect(readMediaConfig({ ...env, LIVEKIT_API_SECRET: secret }), secret).toEqual({ enabled: false, problems: [WEAK_SECRET_PROBLEM] });
		}
		expect(readMediaConfig({ ...env, LIVEKIT_API_SECRET: SECRET })).toMatchObject({ enabled: true, apiSecret: SECRET });
	});
});

describe('url helpers', () => {
	it('maps between ws and http schemes', () => {
		expect(websocketUrl('https://a.b')).toBe('wss://a.b');
		expect(websocketUrl('http://a.b:7880')).toBe('ws://a.b:7880');
		expect(websocketUrl('wss://a.b')).toBe('wss://a.b');
		expect(httpUrl('wss://a.b')).toBe('https://a.b');
		expect(httpUrl('ws://a.b')).toBe('http://a.b');
	});
});

describe('LIVEKIT_API_URL', () => {
	const base = { LIVEKIT_URL: 'wss://video.example/', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET };
	it('lets the server call LiveKit on a private address while browsers use the public one', () => {
		expect(readMediaConfig({ ...base, LIVEKIT_API_URL: 'http://livekit:7880/' })).toMatchObject({
			enabled: true,
			url: 'wss://video.example',
			apiUrl: 'http://livekit:7880'
		});
		expect(readMediaConfig(base)).not.toHaveProperty('apiUrl');
	});
	it('disables video with a reason when it is not a URL', () => {
		expect(readMediaConfig({ ...base, LIVEKIT_API_URL: 'livekit:7880' })).toMatchObject({ enabled: false, problems: [expect.stringContaining('LIVEKIT_API_URL')] });
	});
});

describe('browserConnectSources', () => {
	it('is the video host only, in the schemes livekit-client uses, and nothing when video is off', () => {
		const secure = readMediaConfig({ LIVEKIT_URL: 'wss://video.example:8443/', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET });
		expect(browserConnectSources(secure)).toEqual(['wss://video.example:8443', 'https://video.example:8443']);
		const plain = readMediaConfig({ LIVEKIT_URL: 'http://127.0.0.1:7880', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET });
		expect(browserConnectSources(plain)).toEqual(['ws://127.0.0.1:7880', 'http://127.0.0.1:7880']);
		expect(browserConnectSources(readMediaConfig({}))).toEqual([]);
	});
});
