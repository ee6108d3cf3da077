// The signed heads this device saw on a sitting's stream, kept in IndexedDB: outside the server's database, so a
// history rewritten there no longer matches them (anchor.ts). Loaded only when a 'chain.anchor' event arrives or on
// the check page, so the sitting screens' first load does not carry it.
import { asSignedAnchor, type SignedAnchor } from './anchor';

const DB_NAME = 'nts-chain-anchors';
const STORE = 'anchors';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(DB_NAME, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: ['sittingId', 'seq'] });
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new Error('indexedDB.open failed'));
	});
}

function done<T>(req: IDBRequest<T>, tx: IDBTransaction): Promise<T> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve(req.result);
		tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
		tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
	});
}

/**
 * Keeps a signed head seen on the stream (an event payload: untrusted until checked, so only its shape is checked
 * here). A second copy of the same head replaces the first. Without IndexedDB (a private window that refuses it, a
 * unit test) nothing is kept and nothing fails: the check page says so.
 */
export async function keepAnchor(payload: unknown): Promise<boolean> {
	const anchor = asSignedAnchor(payload);
	if (!anchor || typeof indexedDB === 'undefined') return false;
	try {
		const db = await open();
		const tx = db.transaction(STORE, 'readwrite');
		await done(tx.objectStore(STORE).put(anchor), tx);
		db.close();
		return true;
	} catch {
		return false;
	}
}

/** The heads this device kept for the sitting, in chain order; null when the browser has no IndexedDB. */
export async function keptAnchors(sittingId: string): Promise<SignedAnchor[] | null> {
	if (typeof indexedDB === 'undefined') return null;
	const db = await open();
	const tx = db.transaction(STORE, 'readonly');
	const rows = await done(tx.objectStore(STORE).getAll(IDBKeyRange.bound([sittingId, 0], [sittingId, Number.MAX_SAFE_INTEGER])), tx);
	db.close();
	return rows.map(asSignedAnchor).filter((a): a is SignedAnchor => a !== null);
}
