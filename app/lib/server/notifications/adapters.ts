import type { Db } from '../../../../db/client.js';
import { log } from '../log';

export type MessageChannel = 'email' | 'sms';

export interface OutgoingMessage {
	channel: MessageChannel;
	/** An email address or a phone number. */
	to: string;
	subject: string;
	body: string;
}

/** Email and SMS go through one interface; a real gateway is one more adapter. */
export interface MessageAdapter {
	readonly name: string;
	send(message: OutgoingMessage): Promise<void>;
}

/** The default: writes the message to the structured log (recipient masked) and records it in message_log. */
export function logAdapter(db: Db): MessageAdapter {
	return {
		name: 'log',
		async send(message) {
			const masked = message.to.replace(/^(.{2}).*(.{2})$/, '$1***$2');
			log.info('message (log adapter)', { channel: message.channel, to: masked, subject: message.subject });
			await db.insertInto('message_log').values({ channel: message.channel, recipient: masked, subject: message.subject, adapter: 'log' }).execute();
		}
	};
}

let override: ((db: Db) => MessageAdapter) | null = null;

/** Tests and deployments may replace the adapter (e.g. an SMS gateway); null restores the log adapter. */
export function setMessageAdapter(factory: ((db: Db) => MessageAdapter) | null): void {
	override = factory;
}

export function messageAdapter(db: Db): MessageAdapter {
	return override ? override(db) : logAdapter(db);
}
