import { describe, expect, it } from 'vitest';
import * as city from './city';
import * as consultationLive from './consultation-live';
import * as core from './core';
import * as resolutions from './resolutions';
import * as sittingNotices from './sitting-notices';
import * as sittingUi from './sitting-ui';
import * as secretBallotUi from './secret-ballot-ui';
import * as sittings from './sittings';

const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// A key missing in English shows the Vietnamese text; a placeholder missing in one language shows "{time}".
type Texts = { vi: Record<string, string>; en: Record<string, string> };
const files: [string, Texts][] = Object.entries({ city, consultationLive, core, resolutions, sittingNotices, sittingUi, sittings, secretBallotUi } as Record<string, Texts>);

describe.each(files)('messages/%s', (_, m) => {
	it('has an English text for every Vietnamese key', () => {
		expect(Object.keys(m.en).sort()).toEqual(Object.keys(m.vi).sort());
	});
	it('uses the same placeholders in both languages', () => {
		for (const k of Object.keys(m.vi)) expect([k, holes(m.en[k] ?? '')]).toEqual([k, holes(m.vi[k])]);
	});
});
