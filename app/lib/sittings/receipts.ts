// A secret ballot's receipt, kept on this device so it survives a reload of the voting screen. In session storage
// (this tab only, gone when it closes) and cleared at login and logout: a hall's device is shared, and the next
// delegate must not find the previous one's receipts.

const PREFIX = 'nts.receipt.';

function storage(kind: 'sessionStorage' | 'localStorage'): Storage | null {
	try {
		return typeof globalThis[kind] === 'undefined' ? null : globalThis[kind];
	} catch {
		return null; // storage disabled (some private modes throw on access)
	}
}

export function loadReceipt(voteId: string): string | null {
	try {
		return storage('sessionStorage')?.getItem(PREFIX + voteId) ?? null;
	} catch {
		return null;
	}
}

export function saveReceipt(voteId: string, receipt: string): void {
	try {
		storage('sessionStorage')?.setItem(PREFIX + voteId, receipt);
	} catch {
		// private mode or full: the receipt is still on screen
	}
}

/** Forgets every receipt of this device — also those earlier versions kept in local storage. */
export function clearReceipts(): void {
	for (const kind of ['sessionStorage', 'localStorage'] as const) {
		const store = storage(kind);
		if (!store) continue;
		try {
			const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => k?.startsWith(PREFIX) ?? false);
			for (const key of keys) store.removeItem(key);
		} catch {
			// storage unavailable: nothing kept there
		}
	}
}

/**
 * A receipt as people read and compare it: an encrypted ballot's tracker (64 hex digits, issue 17) in groups of 8;
 * the earlier receipts (XXXX-XXXX-XXXX) as they are.
 */
export function receiptText(receipt: string): string {
	return /^[0-9a-f]{64}$/.test(receipt) ? (receipt.match(/.{8}/g) ?? []).join(' ') : receipt;
}
