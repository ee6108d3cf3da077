// A committee member's secrets on THIS device (issue 17): the transport key's private part (to open the shares the
// other members sealed to it) and the combined member secret (to count). Kept in IndexedDB, never sent to the
// server; the member secret is also offered as a file (exportMemberSecret), the copy that survives this browser.
// Keyed by setup and user, so two members sharing a computer do not read each other's.
import type { MemberSecret, TransportKey } from '$lib/secret-ballot';

const DB_NAME = 'nts-secret-committee';
const STORE = 'secrets';
type Kind = 'transport' | 'member';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(DB_NAME, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new Error('indexedDB.open failed'));
	});
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	const db = await open();
	try {
		const tx = db.transaction(STORE, mode);
		const req = fn(tx.objectStore(STORE));
		return await new Promise<T>((resolve, reject) => {
			tx.oncomplete = () => resolve(req.result);
			tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
			tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
		});
	} finally {
		db.close();
	}
}

const keyOf = (kind: Kind, setupId: string, userId: string) => `${kind}:${setupId}:${userId}`;

async function get<T>(kind: Kind, setupId: string, userId: string): Promise<T | null> {
	if (typeof indexedDB === 'undefined') return null;
	return ((await run('readonly', (s) => s.get(keyOf(kind, setupId, userId)))) as T | undefined) ?? null;
}

async function put(kind: Kind, setupId: string, userId: string, value: unknown): Promise<void> {
	await run('readwrite', (s) => s.put(value, keyOf(kind, setupId, userId)));
}

export const loadTransportKey = (setupId: string, userId: string) => get<TransportKey>('transport', setupId, userId);
export const saveTransportKey = (setupId: string, userId: string, key: TransportKey) => put('transport', setupId, userId, key);
export const loadMemberSecret = (setupId: string, userId: string) => get<MemberSecret>('member', setupId, userId);
export const saveMemberSecret = (setupId: string, userId: string, secret: MemberSecret) => put('member', setupId, userId, secret);
