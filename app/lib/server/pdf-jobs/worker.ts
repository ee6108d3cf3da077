/**
 * Entry of a PDF worker thread (see ./pool.ts, which starts it from the build, or compiles it with esbuild outside
 * one). One job at a time: the pool sends `{task, input}` only to an idle worker, and ends the worker when a job
 * overruns.
 */
import { serveTasks } from '../worker-pool/serve-tasks';
import { tasks } from './tasks';

// Modules loaded (pdf-lib, node-forge, the signing code): the pool starts the clock of a job only from here.
serveTasks(tasks);
