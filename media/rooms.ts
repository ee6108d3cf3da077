import { MediaError } from './errors';

// Room and identity naming in one place, so the token issuer, room service, webhook and the
// browser agree. Ids are restricted to a safe alphabet: they end up in JWT claims and URLs.
export type RoomKind = 'sitting' | 'conference';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SITE_CODE = /^[A-Za-z0-9]{1,16}$/;

export function roomName(kind: RoomKind, id: string | number): string {
	const value = String(id);
	if (!ID.test(value)) throw new MediaError('INVALID_ARGUMENT', `Invalid ${kind} id for a video room: ${value}`);
	return `${kind}-${value}`;
}

/** Inverse of roomName; null for rooms this app did not create. */
export function parseRoomName(name: string): { kind: RoomKind; id: string } | null {
	const match = /^(sitting|conference)-([A-Za-z0-9_-]{1,64})$/.exec(name);
	return match ? { kind: match[1] as RoomKind, id: match[2] } : null;
}

/** A ward site joins as one participant, whoever operates it: identity `site-<communeCode>`. */
export function siteIdentity(communeCode: string): string {
	if (!SITE_CODE.test(communeCode)) throw new MediaError('INVALID_ARGUMENT', `Invalid commune code: ${communeCode}`);
	return `site-${communeCode}`;
}

/** The commune code of a site identity, or null for a personal (account) identity. */
export function parseSiteIdentity(identity: string): string | null {
	const match = /^site-([A-Za-z0-9]{1,16})$/.exec(identity);
	return match ? match[1] : null;
}
