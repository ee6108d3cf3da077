/**
 * Entry of a PDF worker thread (see ./pool.ts, which compiles this file with esbuild and starts it). One job at
 * a time: the pool sends `{task, input}` only to an idle worker, and ends the worker when a job overruns.
 */
import { parentPort } from 'node:worker_threads';
import { tasks, type TaskName } from './tasks';

const port = parentPort;
if (!port) throw new Error('pdf-jobs/worker.ts runs as a worker thread only');

port.on('message', async (msg: { task: TaskName; input: never }) => {
	try {
		const run = tasks[msg.task] as (input: unknown) => unknown;
		if (typeof run !== 'function') throw new Error(`unknown task ${String(msg.task)}`);
		port.postMessage({ type: 'result', ok: true, value: await run(msg.input) });
	} catch (err) {
		port.postMessage({ type: 'result', ok: false, message: err instanceof Error ? err.message : String(err) });
	}
});
// Modules loaded (pdf-lib, node-forge, the signing code): the pool starts the clock of a job only from here.
port.postMessage({ type: 'ready' });
