import { defineConfig } from 'vitest/config';
import { sveltekit } from '@sveltejs/kit/vite';

// Two projects: pure unit tests beside the code, and integration tests that each get a fresh
// database cloned from a migrated template on a real PostgreSQL (tests/setup/global-db.ts).
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		reporters: process.env.CI ? ['default'] : ['default'],
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['{app,db,media,signing,bench}/**/*.test.ts'],
					exclude: ['**/*.db.test.ts', 'node_modules/**'],
					environment: 'node',
					testTimeout: 30_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts', '{app,db,media,signing}/**/*.db.test.ts'],
					environment: 'node',
					globalSetup: ['tests/setup/global-db.ts'],
					setupFiles: ['tests/setup/per-file-db.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
