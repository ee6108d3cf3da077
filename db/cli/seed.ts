// `npm run db:seed`: councils (always) and, with DEMO=1 or the embedded database, demo accounts.
import { bootstrapDatabase } from '../bootstrap.js';

const boot = await bootstrapDatabase({ log: console.log });
console.log('Đã nạp dữ liệu.');
await boot.stop();
