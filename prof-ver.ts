import { verifyBallotIn } from '/work/main/app/lib/secret-ballot/ballot';
import { sodiumGroup } from '/work/main/app/lib/server/secret-ballot/group-sodium';
import { readFileSync } from 'node:fs';
const { publicKey, ballots } = JSON.parse(readFileSync('/tmp/prof/ballots.json', 'utf8'));
const spec = { options: 3, min: 1, max: 1 } as any;
const g = await sodiumGroup();
for (let k = 0; k < 4; k++) {
  const t = process.cpuUsage();
  for (let i = 0; i < ballots.length; i++) { const r = verifyBallotIn(g, ballots[i], { ...spec, publicKey, voteId: 'vote-1', voterId: `d-${i}` }); if (!r.ok) throw new Error('x'); }
  const u = process.cpuUsage(t); console.log('per ballot ms', (u.user + u.system) / 1000 / ballots.length);
}
