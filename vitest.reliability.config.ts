import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: slow suites that start their own PostgreSQL servers and app processes
// (database restarts, graceful shutdown, two instances under load). Run one file at a time.
export default defineConfig({
	test: {
		include: ['tests/reliability/**/*.test.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 300_000,
		hookTimeout: 300_000
	}
});
