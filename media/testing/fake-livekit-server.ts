import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
	ParticipantInfo,
	ParticipantInfo_State,
	ParticipantPermission,
	Room,
	TokenVerifier,
	TrackInfo,
	TrackSource,
	TrackType,
	type ClaimGrants,
	type VideoGrant
} from 'livekit-server-sdk';
import { closeFrame, completeHandshake, rejectUpgrade } from './websocket-handshake';

// A LiveKit stand-in for tests: no LiveKit binary can run here, so we test at the protocol
// boundary. It speaks the Twirp RoomService over JSON — the only encoding livekit-server-sdk
// sends ("Content-Type: application/json;charset=UTF-8", see TwirpRPC.js) — checks the bearer
// JWT and its grants like LiveKit does, records every call, and keeps rooms in memory.
// It also accepts the browser's signalling WebSocket (/rtc, /rtc/v1) just far enough to record
// and verify the access token, then closes it: e2e tests prove "the browser tried to join
// with a valid token", not media flow.

export interface RecordedRequest {
	method: string;
	/** JSON body as sent, with `permission` decoded to a full plain object (defaults filled in). */
	body: Record<string, unknown>;
	/** the video grant of the bearer token, null when missing or invalid */
	grants: VideoGrant | null;
	status: number;
	contentType: string;
}

export interface RecordedRtcConnection {
	/** 'websocket' for the signalling socket, 'validate' for the client's HTTP diagnosis call */
	kind: 'websocket' | 'validate';
	path: string;
	token: string | null;
	valid: boolean;
	claims: ClaimGrants | null;
	query: Record<string, string>;
	at: Date;
}

export interface FakeTrack {
	sid: string;
	source: TrackSource;
	muted: boolean;
}

export interface FakeParticipant {
	sid: string;
	identity: string;
	name: string;
	metadata: string;
	attributes: Record<string, string>;
	permission: PlainPermission;
	tracks: FakeTrack[];
}

export interface FakeRoom {
	sid: string;
	name: string;
	emptyTimeout: number;
	maxParticipants: number;
	metadata: string;
	participants: Map<string, FakeParticipant>;
}

export type PlainPermission = {
	canSubscribe: boolean;
	canPublish: boolean;
	canPublishData: boolean;
	canPublishSources: TrackSource[];
	hidden: boolean;
	recorder: boolean;
	canUpdateMetadata: boolean;
};

export interface FakeLiveKitOptions {
	apiKey: string;
	apiSecret: string;
	/** 0 (default) picks a free port */
	port?: number;
	/** 'close' (default): 101 then a close frame; 'hold': keep the socket open (client stays "connecting") */
	rtc?: 'close' | 'hold';
}

type Handler = (body: Record<string, unknown>) => { status: number; json: unknown };

export class FakeLiveKitServer {
	readonly requests: RecordedRequest[] = [];
	readonly rtcConnections: RecordedRtcConnection[] = [];
	readonly rooms = new Map<string, FakeRoom>();
	/** When true, Twirp requests are accepted but never answered — to exercise client timeouts. */
	hang = false;
	rtcBehaviour: 'close' | 'hold';

	private readonly verifier: TokenVerifier;
	private readonly sockets = new Set<Socket>();
	private sidCounter = 0;
	private constructor(
		private readonly server: Server,
		options: FakeLiveKitOptions
	) {
		this.verifier = new TokenVerifier(options.apiKey, options.apiSecret);
		this.rtcBehaviour = options.rtc ?? 'close';
	}

	static async start(options: FakeLiveKitOptions): Promise<FakeLiveKitServer> {
		const server = createServer();
		const fake = new FakeLiveKitServer(server, options);
		server.on('connection', (socket) => {
			fake.sockets.add(socket);
			socket.on('close', () => fake.sockets.delete(socket));
		});
		server.on('request', (req, res) => void fake.onRequest(req, res));
		server.on('upgrade', (req, socket) => void fake.onUpgrade(req, socket as Socket));
		await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
		return fake;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}
	/** what LIVEKIT_URL should be set to */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}
	get wsUrl(): string {
		return `ws://127.0.0.1:${this.port}`;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Test setup: a participant already in a room (creating the room as LiveKit does on join). */
	addParticipant(
		roomName: string,
		participant: { identity: string; name?: string; tracks?: Array<Partial<FakeTrack> & { source: TrackSource }> }
	): FakeParticipant {
		const room = this.rooms.get(roomName) ?? this.createRoom({ name: roomName });
		const p: FakeParticipant = {
			sid: this.sid('PA'),
			identity: participant.identity,
			name: participant.name ?? participant.identity,
			metadata: '',
			attributes: {},
			permission: {
				canSubscribe: true,
				canPublish: true,
				canPublishData: true,
				canPublishSources: [],
				hidden: false,
				recorder: false,
				canUpdateMetadata: false
			},
			tracks: (participant.tracks ?? []).map((t) => ({ sid: t.sid ?? this.sid('TR'), source: t.source, muted: t.muted ?? false }))
		};
		room.participants.set(p.identity, p);
		return p;
	}

	participant(roomName: string, identity: string): FakeParticipant | undefined {
		return this.rooms.get(roomName)?.participants.get(identity);
	}

	requestsFor(method: string): RecordedRequest[] {
		return this.requests.filter((r) => r.method === method);
	}

	// ── Twirp ────────────────────────────────────────────────────────────────────────────────

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (req.method === 'GET' && /\/rtc(\/v1)?\/validate$/.test(url.pathname)) {
			return this.onValidate(req, res, url);
		}
		if (req.method === 'OPTIONS') {
			res.writeHead(204, corsHeaders()).end();
			return;
		}
		const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(url.pathname);
		const raw = await readBody(req);
		const contentType = String(req.headers['content-type'] ?? '');
		if (this.hang) return; // never answer; the socket is destroyed on close()
		if (!match || req.method !== 'POST') return twirpError(res, 404, 'bad_route', `no handler for ${url.pathname}`);
		const method = match[1];
		const record: RecordedRequest = { method, body: {}, grants: null, status: 0, contentType };
		this.requests.push(record);
		const reply = (status: number, json: unknown, code?: string) => {
			record.status = status;
			if (status >= 400) return twirpError(res, status, code ?? 'internal', String(json));
			res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
		};

		// Twirp serves JSON and protobuf; the SDK only ever sends JSON, so that is all we decode.
		if (!contentType.startsWith('application/json')) {
			return reply(404, `unsupported Content-Type ${contentType}`, 'bad_route');
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw || '{}') as Record<string, unknown>;
		} catch {
			return reply(400, 'malformed JSON body', 'malformed');
		}
		record.body = decodeBody(method, body);

		const auth = String(req.headers.authorization ?? '');
		const claims = auth.startsWith('Bearer ') ? await this.verify(auth.slice('Bearer '.length)) : null;
		record.grants = claims?.video ?? null;
		if (!claims) return reply(401, 'invalid or missing authorization token', 'unauthenticated');
		if (!hasRequiredGrant(method, claims.video ?? {}, str(body, 'room'))) {
			return reply(401, `token lacks the grant required for ${method}`, 'unauthenticated');
		}

		const handler = this.handlers[method];
		if (!handler) return reply(404, `unknown method ${method}`, 'bad_route');
		const result = handler(body);
		reply(result.status, result.json, result.status === 404 ? 'not_found' : undefined);
	}

	private readonly handlers: Record<string, Handler> = {
		CreateRoom: (body) => {
			const name = str(body, 'name');
			const existing = this.rooms.get(name);
			// LiveKit's CreateRoom is idempotent: an existing room is returned, not an error.
			const room =
				existing ??
				this.createRoom({
					name,
					emptyTimeout: num(body, 'emptyTimeout', 'empty_timeout'),
					maxParticipants: num(body, 'maxParticipants', 'max_participants'),
					metadata: str(body, 'metadata')
				});
			return ok(roomJson(room));
		},
		ListRooms: (body) => {
			const names = (body.names as string[] | undefined) ?? [];
			const rooms = [...this.rooms.values()].filter((r) => names.length === 0 || names.includes(r.name));
			return ok({ rooms: rooms.map(roomJson) });
		},
		DeleteRoom: (body) => {
			this.rooms.delete(str(body, 'room'));
			return ok({});
		},
		ListParticipants: (body) => {
			const room = this.rooms.get(str(body, 'room'));
			if (!room) return notFound('requested room does not exist');
			return ok({ participants: [...room.participants.values()].map(participantJson) });
		},
		GetParticipant: (body) => {
			const p = this.participant(str(body, 'room'), str(body, 'identity'));
			return p ? ok(participantJson(p)) : notFound('participant not found');
		},
		RemoveParticipant: (body) => {
			const room = this.rooms.get(str(body, 'room'));
			if (!room?.participants.delete(str(body, 'identity'))) return notFound('participant not found');
			return ok({});
		},
		MutePublishedTrack: (body) => {
			const p = this.participant(str(body, 'room'), str(body, 'identity'));
			const track = p?.tracks.find((t) => t.sid === str(body, 'trackSid', 'track_sid'));
			if (!p || !track) return notFound('track not found');
			track.muted = body.muted === true;
			return ok({ track: trackJson(track) });
		},
		UpdateParticipant: (body) => {
			const p = this.participant(str(body, 'room'), str(body, 'identity'));
			if (!p) return notFound('participant not found');
			if (typeof body.metadata === 'string' && body.metadata !== '') p.metadata = body.metadata;
			if (typeof body.name === 'string' && body.name !== '') p.name = body.name;
			if (body.attributes && typeof body.attributes === 'object') {
				// LiveKit semantics: an empty value deletes the attribute.
				for (const [key, value] of Object.entries(body.attributes as Record<string, string>)) {
					if (value === '') delete p.attributes[key];
					else p.attributes[key] = value;
				}
			}
			if (body.permission) {
				// Tracks are left as they are: room-service must not rely on the server taking down a
				// track whose source was just revoked, so it mutes such tracks itself (tested here).
				p.permission = plainPermission(ParticipantPermission.fromJson(body.permission as never));
			}
			return ok(participantJson(p));
		},
		UpdateRoomMetadata: (body) => {
			const room = this.rooms.get(str(body, 'room'));
			if (!room) return notFound('requested room does not exist');
			room.metadata = str(body, 'metadata');
			return ok(roomJson(room));
		}
	};

	private createRoom(input: { name: string; emptyTimeout?: number; maxParticipants?: number; metadata?: string }): FakeRoom {
		const room: FakeRoom = {
			sid: this.sid('RM'),
			name: input.name,
			emptyTimeout: input.emptyTimeout ?? 0,
			maxParticipants: input.maxParticipants ?? 0,
			metadata: input.metadata ?? '',
			participants: new Map()
		};
		this.rooms.set(room.name, room);
		return room;
	}

	// ── Signalling WebSocket ─────────────────────────────────────────────────────────────────

	private async onUpgrade(req: IncomingMessage, socket: Socket): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!/\/rtc(\/v1)?$/.test(url.pathname)) return rejectUpgrade(socket, 404, 'Not Found');
		const entry = await this.recordRtc('websocket', url);
		// LiveKit answers a bad token with a plain HTTP 401 before upgrading.
		if (!entry.valid) return rejectUpgrade(socket, 401, 'Unauthorized', 'invalid token');
		if (!completeHandshake(req, socket)) return;
		if (this.rtcBehaviour === 'close') socket.end(closeFrame(1000, 'fake livekit: token accepted'));
	}

	private async onValidate(_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const entry = await this.recordRtc('validate', url);
		res
			.writeHead(entry.valid ? 200 : 401, { 'Content-Type': 'text/plain', ...corsHeaders() })
			.end(entry.valid ? 'success' : 'invalid token');
	}

	private async recordRtc(kind: RecordedRtcConnection['kind'], url: URL): Promise<RecordedRtcConnection> {
		const token = url.searchParams.get('access_token');
		const claims = token ? await this.verify(token) : null;
		const entry: RecordedRtcConnection = {
			kind,
			path: url.pathname,
			token,
			valid: claims !== null && claims.video?.roomJoin === true && !!claims.video.room && !!claims.sub,
			claims,
			query: Object.fromEntries(url.searchParams),
			at: new Date()
		};
		this.rtcConnections.push(entry);
		return entry;
	}

	private async verify(token: string): Promise<ClaimGrants | null> {
		try {
			return await this.verifier.verify(token);
		} catch {
			return null;
		}
	}

	private sid(prefix: string): string {
		this.sidCounter += 1;
		return `${prefix}_fake${this.sidCounter.toString().padStart(6, '0')}`;
	}
}

// Grants LiveKit requires per RoomService method (RoomServiceClient signs exactly these).
function hasRequiredGrant(method: string, video: VideoGrant, room: string): boolean {
	if (method === 'CreateRoom' || method === 'DeleteRoom') return video.roomCreate === true;
	if (method === 'ListRooms') return video.roomList === true;
	return video.roomAdmin === true && video.room === room;
}

function decodeBody(method: string, body: Record<string, unknown>): Record<string, unknown> {
	if (method === 'UpdateParticipant' && body.permission) {
		return { ...body, permission: plainPermission(ParticipantPermission.fromJson(body.permission as never)) };
	}
	return body;
}

export function plainPermission(p: ParticipantPermission): PlainPermission {
	return {
		canSubscribe: p.canSubscribe,
		canPublish: p.canPublish,
		canPublishData: p.canPublishData,
		canPublishSources: [...p.canPublishSources],
		hidden: p.hidden,
		recorder: p.recorder,
		canUpdateMetadata: p.canUpdateMetadata
	};
}

function roomJson(room: FakeRoom): unknown {
	return new Room({
		sid: room.sid,
		name: room.name,
		emptyTimeout: room.emptyTimeout,
		maxParticipants: room.maxParticipants,
		metadata: room.metadata,
		numParticipants: room.participants.size
	}).toJson();
}

function participantJson(p: FakeParticipant): unknown {
	return new ParticipantInfo({
		sid: p.sid,
		identity: p.identity,
		name: p.name,
		metadata: p.metadata,
		attributes: p.attributes,
		state: ParticipantInfo_State.ACTIVE,
		permission: new ParticipantPermission(p.permission),
		tracks: p.tracks.map((t) => new TrackInfo(trackFields(t)))
	}).toJson();
}

function trackJson(t: FakeTrack): unknown {
	return new TrackInfo(trackFields(t)).toJson();
}

function trackFields(t: FakeTrack) {
	const audio = t.source === TrackSource.MICROPHONE || t.source === TrackSource.SCREEN_SHARE_AUDIO;
	return { sid: t.sid, source: t.source, muted: t.muted, type: audio ? TrackType.AUDIO : TrackType.VIDEO };
}

function ok(json: unknown) {
	return { status: 200, json };
}
function notFound(msg: string) {
	return { status: 404, json: msg };
}

function str(body: Record<string, unknown>, ...keys: string[]): string {
	for (const key of keys) if (typeof body[key] === 'string') return body[key] as string;
	return '';
}
function num(body: Record<string, unknown>, ...keys: string[]): number {
	for (const key of keys) if (typeof body[key] === 'number') return body[key] as number;
	return 0;
}

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
	// Exactly "application/json": the SDK only parses the error body for that content type.
	res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code, msg }));
}

function corsHeaders(): Record<string, string> {
	return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'authorization, content-type' };
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}
