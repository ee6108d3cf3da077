// Browser side of media.token: a fresh join token for a room, or null when the server has no video
// configured (PRECONDITION_FAILED / media.disabled) — the panels then say "video is not configured".
import { TRPCClientError } from '@trpc/client';
import { trpc } from '$lib/trpc';
import type { VideoAccess } from './room';

export type RoomKind = 'sitting' | 'conference';

export async function fetchVideoAccess(roomKind: RoomKind, id: string): Promise<VideoAccess | null> {
	try {
		const { url, token } = await trpc.media.token.mutate({ roomKind, id });
		return { url, token };
	} catch (error) {
		if (isVideoDisabled(error)) return null;
		throw error;
	}
}

export function isVideoDisabled(error: unknown): boolean {
	if (!(error instanceof TRPCClientError)) return false;
	const data = error.data as { code?: string; i18nKey?: string } | undefined;
	return data?.code === 'PRECONDITION_FAILED' && data.i18nKey === 'media.disabled';
}
