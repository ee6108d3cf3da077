/**
 * The message loop of a pool's worker thread (./pool.ts): one job at a time, `{task, input}` in, `{type: 'result'}`
 * out, and `{type: 'ready'}` once the entry's modules (and `ready`, e.g. a WebAssembly module) are loaded — the
 * pool starts a job's clock only from there. Each worker entry is this call over its own task table.
 */
import { parentPort } from "node:worker_threads";
import type { TaskMap } from "./pool";

export function serveTasks(
  tasks: TaskMap,
  ready: Promise<unknown> = Promise.resolve(),
): void {
  const port = parentPort;
  if (!port)
    throw new Error("a pool worker entry runs as a worker thread only");
  port.on("message", async (msg: { task: string; input: never }) => {
    try {
      const run = tasks[msg.task];
      if (typeof run !== "function")
        throw new Error(`unknown task ${String(msg.task)}`);
      port.postMessage({
        type: "result",
        ok: true,
        value: await run(msg.input),
      });
    } catch (err) {
      port.postMessage({
        type: "result",
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
  void ready.then(() => port.postMessage({ type: "ready" }));
}
