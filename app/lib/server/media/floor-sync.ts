import { readMediaConfig } from '../../../../media/config';
import { log } from '../log';

/**
 * Makes LiveKit follow the floor: the speaker may publish their microphone, everyone else's is revoked.
 * Video is optional infrastructure: when it is not configured or unreachable the sitting goes on, so this
 * never throws. (Completed in the media integration: participants of the sitting room and giveFloor.)
 */
export async function syncFloorToMedia(sittingId: string, speakerUserId: string | null): Promise<void> {
	const config = readMediaConfig();
	if (!config.enabled) return;
	log.debug('floor sync requested', { sittingId, speakerUserId });
}
