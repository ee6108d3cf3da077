import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Import boundaries, stated once here so `npm run lint` fails on a crossing (tested in app/lib/import-layers.test.ts).
/** The database is imported by relative path everywhere (../db/client.js), never through the `$db` alias. */
const ONE_DB_STYLE = { regex: '^\\$db(/|$)', message: 'Import the database layer by relative path (e.g. ../../db/client.js), not through $db.' };
/** db/ (schema, migrations, seed, tools) stands below the app: it never imports from app/. */
const DB_BELOW_APP = [
	{ regex: '^(\\.\\./)+app/', message: 'db/ does not import from app/: move what it needs into db/.' },
	{ regex: '^\\$lib(/|$)', message: 'db/ does not import from app/: move what it needs into db/.' }
];
/** Code that runs in the browser never imports server modules, not even their types (use $lib/api-types). */
const BROWSER_WITHOUT_SERVER = [
	{
		regex: '(^|[/$])lib/server(/|$)|^\\.{1,2}/(\\.\\./)*server(/|$)',
		message: 'Browser code does not import $lib/server (not even types): take the type from $lib/api-types (RouterOutputs) or a shared module.'
	}
];
/**
 * The services (app/lib/server outside api/) stand below the API: they throw AppError ($lib/server/errors) and take
 * council access from auth/council-access, never anything from api/ (tRPC stays in the API layer).
 */
const SERVICES_BELOW_API = [
	{
		regex: '^(\\.\\./)+api(/|$)|^\\./api(/|$)|(^|[/$])lib/server/api(/|$)',
		message: 'app/lib/server services do not import the API layer (app/lib/server/api): use $lib/server/errors and auth/council-access.'
	}
];
/** What runs only on the server under app/ (plus app.d.ts, whose Locals are the server's, and the one type bridge). */
const SERVER_SIDE = ['app/lib/server/**', 'app/**/*.server.ts', 'app/**/+server.ts', 'app/app.d.ts', 'app/lib/api-types.ts'];

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/', 'tests/.tmp/', '.data/', 'bench/results/', 'bench/.tmp/', 'reports/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte'],
		rules: {
			// A forgotten await on a database write loses data silently: never allowed.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{ files: ['**/*.js', '**/*.mjs'], ...ts.configs.disableTypeChecked },
	// The layers (issue 20). A later block replaces an earlier one's `no-restricted-imports`, so each repeats the
	// patterns that still apply to it. `import type` is checked too: a layer's types are part of what it depends on.
	{ files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.svelte'], rules: { 'no-restricted-imports': ['error', { patterns: [ONE_DB_STYLE] }] } },
	{ files: ['db/**'], rules: { 'no-restricted-imports': ['error', { patterns: [ONE_DB_STYLE, ...DB_BELOW_APP] }] } },
	{ files: ['app/lib/server/**'], ignores: ['app/lib/server/api/**'], rules: { 'no-restricted-imports': ['error', { patterns: [ONE_DB_STYLE, ...SERVICES_BELOW_API] }] } },
	{
		files: ['app/**/*.ts', 'app/**/*.js', 'app/**/*.svelte'],
		ignores: SERVER_SIDE,
		rules: { 'no-restricted-imports': ['error', { patterns: [ONE_DB_STYLE, ...BROWSER_WITHOUT_SERVER] }] }
	}
);
