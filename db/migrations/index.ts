import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_sittings_and_votes.js';

/** Every migration, in order. Listed statically so the same set runs from scripts, tests and the built app. */
export const migrations: Record<string, Migration> = {
	'0001_foundation': m0001,
	'0002_sittings_and_votes': m0002
};
