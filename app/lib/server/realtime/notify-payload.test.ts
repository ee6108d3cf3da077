import { describe, expect, it } from 'vitest';
import { decodeNotifyPayload, encodeNotifyPayload } from './notify-payload';

describe('NOTIFY payload of a stored event', () => {
	it('carries the event when it fits, and reads back exactly', () => {
		const body = { type: 'vote.ballot', payload: { voted: 7, note: 'Tán thành: 16/30' }, createdAt: '2026-11-23T07:00:00.000Z' };
		const encoded = encodeNotifyPayload('0b9e', 42, body);
		expect(decodeNotifyPayload(encoded)).toEqual({ topic: '0b9e', seq: 42, body });
	});

	it('leaves out a body too large for PostgreSQL (8,000 bytes), so listeners read the table', () => {
		const encoded = encodeNotifyPayload('s1', 3, { text: 'Đ'.repeat(4_000) });
		expect(encoded).toBe('s1:3');
		expect(decodeNotifyPayload(encoded)).toEqual({ topic: 's1', seq: 3, body: null });
	});

	it('refuses payloads without a topic or a positive sequence, and tolerates a broken body', () => {
		expect(decodeNotifyPayload('')).toBeNull();
		expect(decodeNotifyPayload(':4')).toBeNull();
		expect(decodeNotifyPayload('s1:0')).toBeNull();
		expect(decodeNotifyPayload('s1:abc')).toBeNull();
		expect(decodeNotifyPayload('s1:5:{broken')).toEqual({ topic: 's1', seq: 5, body: null });
	});
});
