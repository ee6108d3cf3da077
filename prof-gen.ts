import { makeCommittee } from '/work/main/app/lib/secret-ballot/test-helpers';
import { encryptBallot } from '/work/main/app/lib/secret-ballot/ballot';
import { writeFileSync } from 'node:fs';
const c = makeCommittee('vote-1');
const spec = { options: 3, min: 1, max: 1 } as any;
const ballots = Array.from({ length: 300 }, (_, i) => encryptBallot({ ...spec, publicKey: c.publicKey, voteId: 'vote-1', voterId: `d-${i}`, choice: i % 3 }).ballot);
writeFileSync('/tmp/prof/ballots.json', JSON.stringify({ publicKey: c.publicKey, ballots }));
