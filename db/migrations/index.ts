import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_sittings_and_votes.js';
import * as m0003 from './0003_resolutions.js';
import * as m0004 from './0004_conferences.js';
import * as m0005 from './0005_city_view.js';
import * as m0006 from './0006_followup_resolution_fk.js';
import * as m0007 from './0007_auth_change_notice.js';
import * as m0008 from './0008_signing_limits_and_pruning.js';
import * as m0009 from './0009_timestamp_authority.js';
import * as m0010 from './0010_signing_keys_pkcs8.js';
import * as m0012 from './0012_council_crls.js';
import * as m0013 from './0013_signers.js';
import * as m0014 from './0014_encrypted_secret_ballot.js';
import * as m0015 from './0015_secret_confidence.js';
import * as m0016 from './0016_archive_plaintext_secret_ballots.js';

/** Every migration, in order. Listed statically so the same set runs from scripts, tests and the built app. */
export const migrations: Record<string, Migration> = {
	'0001_foundation': m0001,
	'0002_sittings_and_votes': m0002,
	'0003_resolutions': m0003,
	'0004_conferences': m0004,
	'0005_city_view': m0005,
	'0006_followup_resolution_fk': m0006,
	'0007_auth_change_notice': m0007,
	'0008_signing_limits_and_pruning': m0008,
	'0009_timestamp_authority': m0009,
	'0010_signing_keys_pkcs8': m0010,
	'0012_council_crls': m0012,
	'0013_signers': m0013,
	'0014_encrypted_secret_ballot': m0014,
	'0015_secret_confidence': m0015,
	'0016_archive_plaintext_secret_ballots': m0016
};
