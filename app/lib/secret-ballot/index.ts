/**
 * Secret ballot the server cannot open (issue 17): exponential ElGamal over ristretto255 with a threshold
 * counting committee. Pure and isomorphic — the same code encrypts in the delegate's browser, checks on the
 * server (in a worker thread: proofs are CPU-bound) and verifies the public board anywhere. See README.md.
 */
export {
	type Ballot,
	type BallotContext,
	type EncryptedBallot,
	auditBallot,
	ballotTracker,
	encryptBallot,
	verifyBallot,
	verifyBallotIn
} from './ballot';
export type { Group } from './group';
export {
	type CommitteeParams,
	type Dealing,
	type DealtShare,
	type MemberSecret,
	checkDealing,
	combineShares,
	committeeParams,
	createDealing,
	exportMemberSecret,
	importMemberSecret,
	jointPublicKey,
	verificationKey,
	verifyShare
} from './committee';
export { type SealedShare, type TransportKey, createTransportKey, openShare, sealShare } from './seal';
export type { BallotCheck, BallotReason, TallyReason } from './reasons';
export { type BallotSpec, MAX_OPTIONS, normaliseSpec } from './spec';
export {
	type EncryptedSum,
	type PartialDecryption,
	aggregateBallots,
	checkPartial,
	combinePartials,
	partialDecrypt
} from './tally';
export { type TallyBoard, type TallyCheck, type VerifyTallyOptions, MAX_BALLOTS, verifyTally } from './verify-tally';
