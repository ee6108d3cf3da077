#!/usr/bin/env bash
# `npm test`: type check, lint, unit + integration tests on a real PostgreSQL, then e2e in Chromium on the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
rm -rf test-results reports && mkdir -p reports
echo "== Kiểm tra kiểu (svelte-check) =="
npm run --silent check
echo "== Lint =="
npm run --silent lint
echo "== Build (the integration and e2e suites start the built app) =="
npx vite build --logLevel warn
echo "== Unit + integration (Vitest, PostgreSQL thật) =="
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
echo "== E2E (Playwright + Chromium) =="
npx playwright test
node scripts/test-summary.mjs
