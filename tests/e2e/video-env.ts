// The e2e app is started with these LiveKit settings; tests/e2e/video.spec.ts starts a fake LiveKit on this
// port when it needs one. Nothing listens there otherwise, which every other spec is indifferent to (video
// then shows "cannot connect", and the sitting, floor and voting carry on).
export const VIDEO_E2E = {
	port: Number(process.env.E2E_LIVEKIT_PORT ?? 47880),
	apiKey: 'APIe2evideo',
	apiSecret: 'e2e-video-secret-e2e-video-secret-0123'
};

export const videoE2eEnv = {
	LIVEKIT_URL: `ws://127.0.0.1:${VIDEO_E2E.port}`,
	LIVEKIT_API_KEY: VIDEO_E2E.apiKey,
	LIVEKIT_API_SECRET: VIDEO_E2E.apiSecret
};
