import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearReceipts, loadReceipt, receiptText, saveReceipt } from './receipts';

/** The Web Storage API over a Map, as a browser gives it (the unit tests run in Node). */
class MemoryStorage implements Storage {
	private items = new Map<string, string>();
	get length() {
		return this.items.size;
	}
	key(index: number) {
		return [...this.items.keys()][index] ?? null;
	}
	getItem(key: string) {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		this.items.set(key, String(value));
	}
	removeItem(key: string) {
		this.items.delete(key);
	}
	clear() {
		this.items.clear();
	}
}

describe('secret ballot receipts on a shared device', () => {
	let session: MemoryStorage;
	let local: MemoryStorage;
	beforeEach(() => {
		session = new MemoryStorage();
		local = new MemoryStorage();
		vi.stubGlobal('sessionStorage', session);
		vi.stubGlobal('localStorage', local);
	});
	afterEach(() => vi.unstubAllGlobals());

	it('keeps a receipt in session storage only, never in local storage', () => {
		saveReceipt('vote-1', 'R-1');
		expect(loadReceipt('vote-1')).toBe('R-1');
		expect(session.getItem('nts.receipt.vote-1')).toBe('R-1');
		expect(local.length).toBe(0);
	});

	it('clears every receipt, including those earlier versions left in local storage, and nothing else', () => {
		saveReceipt('vote-1', 'R-1');
		saveReceipt('vote-2', 'R-2');
		local.setItem('nts.receipt.vote-0', 'R-0');
		local.setItem('nts.other', 'kept');
		session.setItem('nts.other', 'kept');
		clearReceipts();
		expect(loadReceipt('vote-1')).toBeNull();
		expect(loadReceipt('vote-2')).toBeNull();
		expect(local.getItem('nts.receipt.vote-0')).toBeNull();
		expect(local.getItem('nts.other')).toBe('kept');
		expect(session.getItem('nts.other')).toBe('kept');
	});

	it('works without storage at all (disabled by the browser)', () => {
		vi.stubGlobal('sessionStorage', undefined);
		vi.stubGlobal('localStorage', undefined);
		expect(() => saveReceipt('vote-1', 'R-1')).not.toThrow();
		expect(loadReceipt('vote-1')).toBeNull();
		expect(() => clearReceipts()).not.toThrow();
	});
});

describe('receiptText', () => {
	it('groups an encrypted ballot’s tracker by 8 and leaves other receipts as they are', () => {
		const tracker = '0123456789abcdef'.repeat(4);
		expect(receiptText(tracker)).toBe('01234567 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567 89abcdef');
		expect(receiptText('AB12-CD34-EF56')).toBe('AB12-CD34-EF56');
	});
});
