import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENABLED_CODECS, liveKitConfig } from './local-livekit';

const options = { port: 7880, rtcTcpPort: 7881, rtcUdpPort: 7882, apiKey: 'key', apiSecret: 'secret', configFile: '/tmp/livekit.yaml' };

describe('the embedded LiveKit config', () => {
	it('offers only the codecs livekit-client publishes', () => {
		expect((liveKitConfig(options).room as { enabled_codecs: { mime: string }[] }).enabled_codecs.map((c) => c.mime)).toEqual(['audio/opus', 'audio/red', 'video/vp8', 'video/rtx']);
	});

	it('docker-compose.yml gives its LiveKit the same codecs', () => {
		const compose = readFileSync(path.resolve(import.meta.dirname, '../docker-compose.yml'), 'utf8');
		const list = compose.slice(compose.indexOf('enabled_codecs:')).split('\n').slice(1);
		const mimes = list.slice(0, list.findIndex((line) => !line.trim().startsWith('- mime:'))).map((line) => line.trim().replace('- mime: ', ''));
		expect(mimes).toEqual(ENABLED_CODECS.map((c) => c.mime));
	});
});
