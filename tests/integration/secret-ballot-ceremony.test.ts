import { describe, expect, it } from 'vitest';
import { committeeParams, createDealing, createTransportKey, jointPublicKey, sealShare } from '../../app/lib/secret-ballot';
import { as, db, userIdOf } from '../helpers/callers';
import { COMMITTEE, memberSecrets, runCeremony } from '../helpers/secret-ballot';
import { convenedSitting, sittingInProgress } from '../helpers/sittings';

// Issue 17, the key ceremony of the encrypted secret ballot through its procedures: the committee's browsers (the
// crypto core here) make the vote's key; the server checks what each member posts and binds it to the member.

async function prepared(sitting?: Awaited<ReturnType<typeof convenedSitting>>) {
	const s = sitting ?? (await convenedSitting());
	const committee = await Promise.all(COMMITTEE.map((u) => userIdOf(u)));
	const { setupId } = await s.chair.secretBallot.prepare({
		sittingId: s.sittingId,
		itemId: s.itemId,
		question: 'Bỏ phiếu kín?',
		committee
	});
	const members = await Promise.all(COMMITTEE.map((u) => as(u)));
	return { ...s, setupId, members };
}

describe('encrypted secret ballot: key ceremony', () => {
	it('three members make a ready key that is the joint key of their dealings, and each can rebuild its secret share', async () => {
		const { setupId, members, chair } = await prepared();
		const { transport, ready, publicKey } = await runCeremony(setupId, members);
		expect(ready).toBe(true);
		const view = await chair.secretBallot.setup({ setupId });
		expect(view.phase).toBe('ready');
		expect(view.members.map((m) => [m.index, m.dealt])).toEqual([
			[1, true],
			[2, true],
			[3, true]
		]);
		expect(view.members[0].fingerprint).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
		const shares = await members[0].secretBallot.shares({ setupId });
		expect(view.publicKey).toBe(jointPublicKey(committeeParams(setupId, 2, 3), shares.dealings));
		expect(publicKey).toBe(view.publicKey);
		const secrets = await memberSecrets(setupId, members, transport);
		expect(secrets.map((s) => s.publicKey)).toEqual([view.publicKey, view.publicKey, view.publicKey]);
		// Each member sees only the shares sealed to it: one from every dealer.
		expect(shares.sealed.map((s) => [s.from, s.to])).toEqual([
			[1, 1],
			[2, 1],
			[3, 1]
		]);
	});

	it('refuses a bad dealing (a broken proof, another member’s index, missing shares) and stores nothing', async () => {
		const { setupId, members } = await prepared();
		const params = committeeParams(setupId, 2, 3);
		const transport = members.map(() => createTransportKey());
		for (let i = 0; i < 3; i++)
			await members[i].secretBallot.postTransportKey({
				setupId,
				key: transport[i].public
			});
		const { dealing, shares } = createDealing(params, 1);
		const sealed = shares.map((s) => sealShare(setupId, 1, s.to, transport[s.to - 1].public, s.share));
		const brokenProof = {
			...dealing,
			proof: {
				...dealing.proof,
				z: dealing.proof.z.replace(/^./, (c: string) => (c === '0' ? '1' : '0'))
			}
		};
		await expect(
			members[0].secretBallot.postDealing({
				setupId,
				dealing: brokenProof,
				sealed
			})
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'secretBallot.badDealing'
		});
		// Member 2 posting member 1's dealing: the proof binds index 1, the caller is 2.
		await expect(members[1].secretBallot.postDealing({ setupId, dealing, sealed })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'secretBallot.badDealing'
		});
		// A dealing made for index 2 by member 2's impostor, relabelled 1: its proof fails.
		const other = createDealing(params, 2).dealing;
		await expect(
			members[0].secretBallot.postDealing({
				setupId,
				dealing: { ...other, index: 1 },
				sealed
			})
		).rejects.toMatchObject({ i18nKey: 'secretBallot.badDealing' });
		await expect(
			members[0].secretBallot.postDealing({
				setupId,
				dealing,
				sealed: sealed.slice(0, 2)
			})
		).rejects.toMatchObject({ i18nKey: 'secretBallot.badSealedShares' });
		const stored = await db().selectFrom('secret_committee_members').select('dealing').where('setup_id', '=', setupId).execute();
		expect(stored.every((m) => m.dealing === null)).toBe(true);
		expect(await db().selectFrom('secret_sealed_shares').selectAll().where('setup_id', '=', setupId).execute()).toEqual([]);
		// The honest dealing is then accepted.
		expect(await members[0].secretBallot.postDealing({ setupId, dealing, sealed })).toMatchObject({ index: 1, ready: false });
	});

	it('refuses a delegate not on the committee, a delegate of another council, a second key, and a dealing before every key is in', async () => {
		const { setupId, members } = await prepared();
		const key = createTransportKey().public;
		await expect(
			(await as('delegate.26743.4')).secretBallot.postTransportKey({
				setupId,
				key
			})
		).rejects.toMatchObject({
			code: 'FORBIDDEN',
			i18nKey: 'secretBallot.notOnCommittee'
		});
		await expect(
			(await as('delegate.26737.1')).secretBallot.postTransportKey({
				setupId,
				key
			})
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26737.1')).secretBallot.shares({ setupId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await members[0].secretBallot.postTransportKey({ setupId, key });
		await expect(
			members[0].secretBallot.postTransportKey({
				setupId,
				key: createTransportKey().public
			})
		).rejects.toMatchObject({
			code: 'CONFLICT',
			i18nKey: 'secretBallot.transportKeySet'
		});
		const { dealing, shares } = createDealing(committeeParams(setupId, 2, 3), 1);
		const sealed = shares.map((s) => sealShare(setupId, 1, s.to, key, s.share));
		await expect(members[0].secretBallot.postDealing({ setupId, dealing, sealed })).rejects.toMatchObject({
			code: 'PRECONDITION_FAILED',
			i18nKey: 'secretBallot.keysMissing'
		});
		const stored = await db().selectFrom('secret_committee_members').select(['idx', 'transport_key']).where('setup_id', '=', setupId).orderBy('idx').execute();
		expect(stored).toEqual([
			{ idx: 1, transport_key: key },
			{ idx: 2, transport_key: null },
			{ idx: 3, transport_key: null }
		]);
	});

	it('refuses a committee with a member of another council or a threshold of one', async () => {
		const s = await convenedSitting();
		const ids = await Promise.all(['delegate.26743.1', 'delegate.26743.2', 'delegate.26737.1'].map((u) => userIdOf(u)));
		const input = { sittingId: s.sittingId, itemId: s.itemId, question: 'Q' };
		await expect(s.chair.secretBallot.prepare({ ...input, committee: ids })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'secretBallot.committeeInvalid'
		});
		await expect(
			s.chair.secretBallot.prepare({
				...input,
				committee: [ids[0], ids[0], ids[1]]
			})
		).rejects.toMatchObject({ i18nKey: 'secretBallot.committeeInvalid' });
		await expect(
			(await as('delegate.26743.5')).secretBallot.prepare({
				...input,
				committee: ids.slice(0, 2)
			})
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('a complaint cancels the setup, which can then not be opened', async () => {
		const s = await sittingInProgress(20);
		const { setupId, members, chair } = await prepared(s);
		await runCeremony(setupId, members);
		expect(await members[2].secretBallot.complain({ setupId, dealer: 1 })).toEqual({ cancelled: true, complainant: 3, dealer: 1 });
		expect((await chair.secretBallot.setup({ setupId })).phase).toBe('cancelled');
		await expect(chair.secretBallot.open({ setupId })).rejects.toMatchObject({
			code: 'PRECONDITION_FAILED',
			i18nKey: 'secretBallot.notReady'
		});
		expect(await db().selectFrom('votes').select('id').where('id', '=', setupId).execute()).toEqual([]);
	});
});
