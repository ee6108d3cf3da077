import { defineConfig, devices } from '@playwright/test';
import { E2E_PORT, videoE2eEnv } from './tests/e2e/video-env';

const PORT = E2E_PORT;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The e2e suite drives the production build (npm start's own launcher) on a fresh embedded database.
export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: true,
	// No retries: a test that passes only on its second try is a failure to look at, not a pass.
	retries: 0,
	workers: 1,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		launchOptions: {
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
		}
	},
	projects: [
		{ name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } },
		// Phone and tablet sizes (issue 21): the layout spec, on the same Chromium.
		{ name: 'phone', testMatch: 'layout.spec.ts', use: { ...devices['Desktop Chrome'], channel: undefined, viewport: { width: 390, height: 844 }, isMobile: false, hasTouch: true } },
		{ name: 'tablet', testMatch: 'layout.spec.ts', use: { ...devices['Desktop Chrome'], channel: undefined, viewport: { width: 1024, height: 768 }, hasTouch: true } }
	],
	webServer: {
		command: 'node tests/e2e/serve.mjs',
		url: `http://127.0.0.1:${PORT}/api/health`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe',
		// Signing with a PKCS#11 token (resolution-token.spec.ts): SoftHSM2's module, and the configuration whose token
		// directory that spec creates (tests/helpers/softhsm.ts, SOFTHSM_E2E_DIR); read at each token call, not at start.
		env: { PORT: String(PORT), HOST: '127.0.0.1', ...videoE2eEnv, PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', SOFTHSM2_CONF: `${process.cwd()}/tests/.tmp/e2e-softhsm/softhsm2.conf` }
	}
});
