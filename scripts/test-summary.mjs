// One closing line for the whole run, summed over Vitest and Playwright: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('reports/vitest.json')) {
	const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
	passed += v.numPassedTests;
	failed += v.numFailedTests;
	// A file that failed outside any test (a failing beforeAll, an import error) counts as one failure.
	failed += v.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')).length;
	skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}
if (existsSync('reports/playwright.json')) {
	const p = JSON.parse(readFileSync('reports/playwright.json', 'utf8'));
	passed += p.stats.expected + p.stats.flaky;
	failed += p.stats.unexpected;
	skipped += p.stats.skipped;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
