import { describe, expect, it } from 'vitest';
import type { AuthUser } from './current-user';
import { SessionCache } from './session-cache';

const user = (id: string): AuthUser => ({ id, username: id, fullName: id, cityRoles: [], councils: [] });
const inAnHour = (now: number) => new Date(now + 3600_000);

describe('SessionCache', () => {
	it('remembers nothing until its listener is in place, and forgets everything when it is lost', () => {
		const cache = new SessionCache();
		const now = Date.now();
		cache.set('t', user('a'), inAnHour(now), cache.generation, now);
		expect(cache.get('t', now)).toBeUndefined();
		cache.setEnabled(true);
		cache.set('t', user('a'), inAnHour(now), cache.generation, now);
		expect(cache.get('t', now)?.id).toBe('a');
		cache.setEnabled(false);
		expect(cache.get('t', now)).toBeUndefined();
		cache.setEnabled(true);
		expect(cache.get('t', now)).toBeUndefined();
	});

	it('does not store a lookup that was read before a change arrived', () => {
		const cache = new SessionCache();
		cache.setEnabled(true);
		const readAt = cache.generation;
		cache.clear(); // a notice: roles changed while the lookup was in flight
		cache.set('t', user('a'), inAnHour(Date.now()), readAt);
		expect(cache.get('t')).toBeUndefined();
		const forgotten = cache.generation;
		cache.forget('other');
		cache.set('t', user('a'), inAnHour(Date.now()), forgotten);
		expect(cache.get('t')).toBeUndefined();
	});

	it('never keeps an entry past its session or its maximum age', () => {
		const cache = new SessionCache(60_000);
		cache.setEnabled(true);
		const now = 1_000_000;
		cache.set('short', user('a'), new Date(now + 5_000), cache.generation, now);
		cache.set('long', user('b'), inAnHour(now), cache.generation, now);
		expect(cache.get('short', now + 4_999)?.id).toBe('a');
		expect(cache.get('short', now + 5_000)).toBeUndefined();
		expect(cache.get('long', now + 59_999)?.id).toBe('b');
		expect(cache.get('long', now + 60_000)).toBeUndefined();
	});

	it('forgets one session at once and stays bounded', () => {
		const cache = new SessionCache(60_000, 3);
		cache.setEnabled(true);
		for (const t of ['a', 'b', 'c']) cache.set(t, user(t), inAnHour(Date.now()), cache.generation);
		cache.forget('b');
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')?.id).toBe('a');
		cache.set('d', user('d'), inAnHour(Date.now()), cache.generation);
		cache.set('e', user('e'), inAnHour(Date.now()), cache.generation); // full: starts over
		expect(cache.get('a')).toBeUndefined();
		expect(cache.get('e')?.id).toBe('e');
	});
});
