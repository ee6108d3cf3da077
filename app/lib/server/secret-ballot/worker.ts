/**
 * Entry of a secret-ballot worker thread (./pool.ts compiles and starts it, the same way as the PDF workers).
 * Ready once libsodium's WebAssembly is instantiated: one group per worker.
 */
import { serveTasks } from '../worker-pool/serve-tasks';
import { sodiumGroup } from './group-sodium';
import { secretTasks } from './tasks';

serveTasks(secretTasks, sodiumGroup());
