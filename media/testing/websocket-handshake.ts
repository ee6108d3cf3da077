import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// Just enough RFC 6455 for a test double: answer the opening handshake, then send a close frame.
// No ws package — the fake server only has to prove the browser opened its signalling socket.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(secWebSocketKey: string): string {
	return createHash('sha1').update(secWebSocketKey + GUID).digest('base64');
}

/** Writes the 101 response; false (and a 400) when the request is not a valid WebSocket upgrade. */
export function completeHandshake(req: IncomingMessage, socket: Duplex): boolean {
	const key = req.headers['sec-websocket-key'];
	const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
	if (typeof key !== 'string' || upgrade !== 'websocket' || req.headers['sec-websocket-version'] !== '13') {
		rejectUpgrade(socket, 400, 'Bad Request');
		return false;
	}
	socket.write(
		'HTTP/1.1 101 Switching Protocols\r\n' +
			'Upgrade: websocket\r\n' +
			'Connection: Upgrade\r\n' +
			`Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`
	);
	return true;
}

/** A server-to-client close frame (FIN + opcode 8, unmasked) with a status code and short reason. */
export function closeFrame(code: number, reason = ''): Buffer {
	const text = Buffer.from(reason, 'utf8').subarray(0, 123); // control frames carry ≤ 125 bytes
	const payload = Buffer.alloc(2 + text.length);
	payload.writeUInt16BE(code, 0);
	text.copy(payload, 2);
	return Buffer.concat([Buffer.from([0x88, payload.length]), payload]);
}

export function rejectUpgrade(socket: Duplex, status: number, statusText: string, body = ''): void {
	socket.end(
		`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
