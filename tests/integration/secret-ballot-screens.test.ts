import { describe, expect, it } from 'vitest';
import type { EncryptedSum } from '../../app/lib/secret-ballot/tally';
import { as, userIdOf } from '../helpers/callers';
import { COMMITTEE, encryptedBallotOf, openEncryptedVote, partialOf } from '../helpers/secret-ballot';
import { convenedSitting } from '../helpers/sittings';

// Issue 17, what the chair's console and the committee's screens read: the sitting's setups with their committees
// (secretBallot.ofSitting), the sums and the partials in (setup.counting), and the notice that names a member.

describe('encrypted secret ballot: what the screens read', () => {
	it('a named member is notified with the link to the committee screen; the sitting lists the setup', async () => {
		const s = await convenedSitting();
		const committee = await Promise.all(COMMITTEE.map((u) => userIdOf(u)));
		const { setupId } = await s.chair.secretBallot.prepare({ sittingId: s.sittingId, itemId: s.itemId, question: 'Bỏ phiếu kín: nhân sự?', committee });
		const member = await as(COMMITTEE[1]);
		const { items } = await member.notification.list({ limit: 5 });
		const notice = items.find((n) => n.kind === 'secretBallot.committee' && n.link?.endsWith(setupId));
		expect(notice && [notice.title, notice.link]).toEqual(['Bỏ phiếu kín: nhân sự?', `/sittings/${s.sittingId}/committee/${setupId}`]);
		const outsider = await as('delegate.26743.9');
		const theirs = await outsider.notification.list({ limit: 20 });
		expect(theirs.items.some((n) => n.link?.endsWith(setupId))).toBe(false);
		const listed = await outsider.secretBallot.ofSitting({ sittingId: s.sittingId });
		expect(listed.map((l) => [l.setupId, l.phase, l.counting, l.committee])).toEqual([[setupId, 'keying', false, committee]]);
		expect((await s.chair.secretBallot.setup({ setupId })).counting).toBeNull();
	});

	it('after the close: the sums to decrypt and which partials are in, until counted', async () => {
		const v = await openEncryptedVote(20);
		const delegate = await as('delegate.26743.5');
		const { ballot } = await encryptedBallotOf(v.voteId, v.publicKey, 'delegate.26743.5', 0);
		await delegate.secretBallot.cast({ voteId: v.voteId, ballot });
		await v.chair.secretBallot.closeCasting({ voteId: v.voteId });
		const open = await v.members[2].secretBallot.setup({ setupId: v.setupId });
		expect(open.counting && [open.counting.sums.length, open.counting.partials, open.counting.counted]).toEqual([3, [], false]);
		expect((await v.chair.secretBallot.ofSitting({ sittingId: v.sittingId }))[0].counting).toBe(true);
		const sums = open.counting!.sums as EncryptedSum[];
		await v.members[2].secretBallot.postPartial({ voteId: v.voteId, partial: partialOf(v.secrets[2], sums) });
		expect((await v.chair.secretBallot.setup({ setupId: v.setupId })).counting?.partials).toEqual([3]);
		await v.members[0].secretBallot.postPartial({ voteId: v.voteId, partial: partialOf(v.secrets[0], sums) });
		const done = await v.chair.secretBallot.setup({ setupId: v.setupId });
		expect(done.counting && [done.counting.partials, done.counting.counted]).toEqual([[1, 3], true]);
		expect((await v.chair.secretBallot.ofSitting({ sittingId: v.sittingId }))[0].counting).toBe(false);
	});
});
