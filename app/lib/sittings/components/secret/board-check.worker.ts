// The public board's check, in a worker: a city-wide board holds thousands of ballots whose proofs take the CPU
// for seconds, and the page (its search, its scrolling, a screen reader's reading) must stay usable meanwhile.
import { verifyTally, type TallyBoard } from '$lib/secret-ballot/verify-tally';

self.onmessage = (event: MessageEvent<TallyBoard>) => {
	try {
		self.postMessage({ check: verifyTally(event.data) });
	} catch (error) {
		self.postMessage({ error: error instanceof Error ? error.message : String(error) });
	}
};
