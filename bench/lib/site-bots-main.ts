// A worker process of bench:conference holding some of the 168 site participants. @livekit/rtc-node hands every
// native event to every Room of its process, so one process with all the sites spends time growing with the cube
// of their number; several processes of a few dozen each keep the bots from being the bottleneck they measure.
// Talks to its parent over IPC (see site-bots.ts).
import { ParticipantBot, type CameraOptions } from '../../media/testing/participant-bot';

export type ToWorker =
	| { type: 'join'; sites: { code: string; url: string; token: string }[]; camera: CameraOptions; concurrency: number }
	| { type: 'leave' };
export type FromWorker =
	| { type: 'joined'; code: string; connectedAt: number; joinMs: number; publishMs: number }
	| { type: 'failed'; code: string; error: string }
	| { type: 'left' };

const bots = new Map<string, ParticipantBot>();
const send = (message: FromWorker) => process.send!(message);

process.on('message', async (message: ToWorker) => {
	if (message.type === 'join') {
		const queue = [...message.sites];
		await Promise.all(
			Array.from({ length: message.concurrency }, async () => {
				for (let site = queue.shift(); site; site = queue.shift()) {
					try {
						const t0 = Date.now();
						const bot = await ParticipantBot.join(site.url, site.token, { receive: 'none' });
						const connectedAt = Date.now();
						bots.set(site.code, bot);
						await bot.publishCamera(message.camera);
						send({ type: 'joined', code: site.code, connectedAt, joinMs: connectedAt - t0, publishMs: Date.now() - connectedAt });
					} catch (error) {
						send({ type: 'failed', code: site.code, error: String(error) });
					}
				}
			})
		);
	} else if (message.type === 'leave') {
		await Promise.all([...bots.values()].map((bot) => bot.leave().catch(() => {})));
		send({ type: 'left' });
		process.exit(0);
	}
});
