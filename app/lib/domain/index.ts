// Shared domain rules (client and server). Server-only rules needing node:crypto live in
// $lib/server/domain (canonical JSON, hash chain, ballot receipts).
export * from './errors';
export * from './messages';
export * from './integers';
export * from './fraction';
export * from './quorum';
export * from './pass-rule';
export * from './ballot';
export * from './tally';
export * from './participation';
export * from './sitting-lifecycle';
export * from './vote-lifecycle';
export * from './floor-queue';
