import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Every migration, in order. Listed statically so the same set runs from scripts, tests and the built app. */
export const migrations: Record<string, Migration> = {
	'0001_foundation': m0001
};
