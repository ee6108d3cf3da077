// One closing line for the whole run, summed over the Vitest runs (unit + integration, reliability) and Playwright:
// "tests: N passed, N failed, N skipped", after the name of every failed test, so a failure deep in a long log is
// found from the last lines. A report that is missing (its run died before writing it) counts as a failure too.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.REPORTS_DIR ?? 'reports';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function read(file, label) {
	const at = path.join(dir, file);
	if (existsSync(at)) return JSON.parse(readFileSync(at, 'utf8'));
	failed += 1;
	failures.push(`${label}: no report (${at}): the run ended before writing it`);
	return null;
}

function vitest(file, label) {
	const v = read(file, label);
	if (!v) return;
	passed += v.numPassedTests;
	failed += v.numFailedTests;
	skipped += v.numPendingTests + (v.numTodoTests ?? 0);
	for (const suite of v.testResults) {
		const name = path.relative(process.cwd(), suite.name);
		const failedTests = suite.assertionResults.filter((t) => t.status === 'failed');
		for (const t of failedTests) failures.push(`${label}: ${name} > ${[...t.ancestorTitles, t.title].join(' > ')}`);
		// A file that failed outside any test (a failing beforeAll, an import error) counts as one failure.
		if (suite.status === 'failed' && failedTests.length === 0) {
			failed += 1;
			failures.push(`${label}: ${name} (outside any test: ${(suite.message ?? '').split('\n')[0]})`);
		}
	}
}

function playwright(file, label) {
	const p = read(file, label);
	if (!p) return;
	// No retries are configured, so nothing should be flaky; if one ever is, it failed once: a failure, named.
	passed += p.stats.expected;
	failed += p.stats.unexpected + p.stats.flaky;
	skipped += p.stats.skipped;
	const walk = (suite, titles) => {
		for (const spec of suite.specs ?? []) {
			for (const t of spec.tests) {
				if (t.status === 'unexpected' || t.status === 'flaky') failures.push(`${label}: ${[...titles, spec.title].join(' > ')} [${t.projectName}]${t.status === 'flaky' ? ' (flaky)' : ''}`);
			}
		}
		for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
	};
	for (const suite of p.suites) walk(suite, [suite.title]);
	// Errors outside any test (a failing global setup) leave no test to name.
	for (const e of p.errors ?? []) {
		failed += 1;
		failures.push(`${label}: ${(e.message ?? '').split('\n')[0]}`);
	}
}

vitest('vitest.json', 'unit + integration');
vitest('vitest-reliability.json', 'reliability');
playwright('playwright.json', 'e2e');

if (failures.length) console.log(`failed:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
