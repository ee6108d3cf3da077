// Which texts a browser loads when (issue 23: the delegate's sitting page opens fast on a weak hall Wi-Fi). The
// delegate's page and the hall display load the common texts only (the video texts come with the video code,
// SittingVideo); every other page loads every part, so a text put in the wrong part can only be missing from those
// two screens (the chair's and secretary's consoles, much edited, take everything). The server holds every text
// (index.ts); which text is in which part: split.ts, checked against the two screens' sources by its test.
export type Part = 'common' | 'video' | 'elsewhere';
export const PARTS: readonly Part[] = ['common', 'video', 'elsewhere'];

/** Route ids of the screens that load the common texts only. */
export const LEAN_SCREENS: readonly string[] = ['/(app)/sittings/[sittingId=uuid]', '/(app)/sittings/[sittingId=uuid]/display'];

/** The parts a route needs before it renders. */
export function partsFor(routeId: string | null): Part[] {
	return routeId !== null && LEAN_SCREENS.includes(routeId) ? ['common'] : [...PARTS];
}
