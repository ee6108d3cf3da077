// `npm run db:seed`: councils (always) and, with DEMO=1, demo accounts (otherwise a first administrator when there is none).
import { bootstrapDatabase } from '../bootstrap.js';

const boot = await bootstrapDatabase({ log: console.log });
console.log('Đã nạp dữ liệu.');
await boot.stop();
