import { describe, expect, it } from 'vitest';
import { connectionTracker, type ConnectionState } from './connection';

describe('connectionTracker', () => {
	it('says connecting before the first connection and reconnecting after it', () => {
		const seen: ConnectionState[] = [];
		const c = connectionTracker((s) => seen.push(s));
		c.onConnectionStateChange({ state: 'connecting' });
		c.onStarted();
		c.onConnectionStateChange({ state: 'connecting' });
		c.onConnectionStateChange({ state: 'pending' });
		c.onConnectionStateChange({ state: 'idle' });
		c.onError();
		expect(seen).toEqual(['connecting', 'live', 'reconnecting', 'live', 'offline', 'offline']);
	});
});
