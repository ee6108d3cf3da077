// The e2e app (tests/e2e/serve.mjs) starts with LIVEKIT_URL unset, so `npm start`'s embedded LiveKit runs beside
// it on this port, as on a fresh machine; the video tests read its pid file to stop it.
import path from 'node:path';
import { embeddedLiveKitPidFile } from '../../scripts/embedded-livekit';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
export const VIDEO_E2E = {
	port: Number(process.env.E2E_LIVEKIT_PORT ?? 47880),
	// the data directory tests/e2e/serve.mjs gives the app
	pidFile: embeddedLiveKitPidFile(path.resolve(import.meta.dirname, '../.tmp', `e2e-${E2E_PORT}`))
};

export const videoE2eEnv = { LIVEKIT_PORT: String(VIDEO_E2E.port) };
