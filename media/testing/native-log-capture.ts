/**
 * @livekit/rtc-node starts its native library with log capture on and the level at trace, then ignores the records:
 * each batch still crosses into JavaScript and reaches every Room of the process as an event. With a few dozen test
 * participants in a process that is thousands of events a second — most of the load generator's CPU in
 * bench:conference, taken from the server and the browser it measures. Setting the library up again with capture
 * off (the same callback into rtc-node's client) leaves the records to its own logger, which reads RUST_LOG when the
 * library starts (at the first Room's connect): off unless set, as quiet as rtc-node's capture was.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { FfiEvent, livekitInitialize } from '@livekit/rtc-ffi-bindings';

process.env.RUST_LOG ??= 'off';

let stopped = false;

/** Call once rtc-node's client exists (after a Room's first connect); later calls do nothing. */
export function stopNativeLogCapture(): void {
	const client = (globalThis as { _ffiClientInstance?: EventEmitter })._ffiClientInstance;
	if (stopped || !client) return;
	stopped = true;
	livekitInitialize((data) => client.emit('ffi_event', FfiEvent.fromBinary(data)), false, rtcNodeVersion());
}

function rtcNodeVersion(): string {
	const require = createRequire(import.meta.url);
	return (require(require.resolve('@livekit/rtc-node').replace(/dist\/index\.c?js$/, 'package.json')) as { version: string }).version;
}
