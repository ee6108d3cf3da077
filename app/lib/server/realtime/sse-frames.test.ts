import { describe, expect, it } from 'vitest';
import { PING_FRAME, RETURN_FRAME, cachedFrames, connectedFrame, trackedFrame } from './sse-frames';

const text = (frame: Uint8Array) => new TextDecoder().decode(frame);

describe('SSE frames (tRPC wire format)', () => {
	it('writes connected, tracked, ping and return events as complete SSE blocks', () => {
		expect(text(connectedFrame({ reconnectAfterInactivityMs: 25_000 }))).toBe('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\n');
		expect(text(trackedFrame('12', { seq: 12, type: 'vote.ballot', payload: { voted: 3 } }))).toBe('id: 12\ndata: {"seq":12,"type":"vote.ballot","payload":{"voted":3}}\n\n');
		expect(text(PING_FRAME)).toBe('event: ping\ndata: \n\n');
		expect(text(RETURN_FRAME)).toBe('event: return\ndata: \n\n');
	});

	it('keeps Vietnamese text and line breaks inside one data line', () => {
		expect(text(trackedFrame('1', { title: 'Kỳ họp\nthứ 3' }))).toBe('id: 1\ndata: {"title":"Kỳ họp\\nthứ 3"}\n\n');
	});

	it('refuses an id that would break the frame', () => {
		expect(() => trackedFrame('1\n2', {})).toThrow();
	});

	it('serialises an event object once however many streams send it', () => {
		let calls = 0;
		const frame = cachedFrames((e: { seq: number }) => (calls++, trackedFrame(String(e.seq), e)));
		const event = { seq: 5 };
		expect(frame(event)).toBe(frame(event));
		frame({ seq: 5 });
		expect(calls).toBe(2);
	});
});
