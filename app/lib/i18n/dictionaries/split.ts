// Which part of the browser's texts a key belongs to (parts.ts): used by the build (scripts/vite-client-dictionaries.ts).
import { messages as signingMessages } from '../../../../signing/messages';
import type { Part } from './parts';

/**
 * Texts the lean screens never show: the areas of other pages (the city's pages, the verifier, administration, home,
 * login, signing, the consoles) and what only the server says (its refusals of floor, document and vote calls, the minutes, the
 * sitting notices), which reaches a browser already translated.
 */
const ELSEWHERE = [
	...['monitor.', 'followup.', 'consultation.', 'petition.', 'directory.', 'admin.', 'verify.', 'todo.', 'tsa.', 'login.', 'home.', 'signer.'],
	...['floor.', 'document.', 'vote.', 'minutes.', 'sitting.notice.'],
	// the encrypted secret ballot's refusals and tally reasons (issue 17): said by the server, or on the public board
	...['secretBallot.'],
	// the chair's and the secretary's consoles, and the form that creates a sitting
	...['sui.chair.', 'sui.sec.', 'sui.create.', 'sui.committee.']
];
const VIDEO = ['video.', 'media.'];
/**
 * Texts of those parts a lean screen shows too: DraftLink on a submission item (for its drafters), the agenda's
 * "current", the video card of a hybrid sitting before "join" (SittingVideo).
 */
const ON_LEAN_SCREENS = ['resolution.action.', 'sui.chair.current', 'video.sitting.'];
const signingCodes = new Set(Object.keys(signingMessages.vi));

export function partOf(key: string): Part {
	if (ON_LEAN_SCREENS.some((p) => key.startsWith(p))) return 'common';
	if (VIDEO.some((p) => key.startsWith(p))) return 'video';
	if (ELSEWHERE.some((p) => key.startsWith(p)) || key.startsWith('resolution.') || signingCodes.has(key)) return 'elsewhere';
	return 'common';
}

/** One part of a dictionary. */
export function pick(dictionary: Record<string, string>, part: Part): Record<string, string> {
	return Object.fromEntries(Object.entries(dictionary).filter(([key]) => partOf(key) === part));
}
