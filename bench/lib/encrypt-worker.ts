// A thread of encrypt-ballots.ts: encrypts the batches it is sent, as each delegate's browser would, and answers
// with the ballots in the same order.
import { parentPort } from 'node:worker_threads';
import { encryptBallot } from '../../app/lib/secret-ballot/ballot';
import type { BallotToEncrypt } from './encrypt-ballots';

parentPort!.on('message', (batch: BallotToEncrypt[]) => {
	parentPort!.postMessage(batch.map((b) => encryptBallot({ publicKey: b.publicKey, voteId: b.voteId, voterId: b.voterId, options: 3, min: 1, max: 1, choice: b.choice }).ballot));
});
