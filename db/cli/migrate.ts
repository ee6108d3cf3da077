// `npm run db:migrate`: bring the database (DATABASE_URL, or the embedded one) to the latest schema.
import { bootstrapDatabase } from '../bootstrap.js';

const boot = await bootstrapDatabase({ log: console.log, seed: false });
console.log('Đã cập nhật cấu trúc cơ sở dữ liệu.');
await boot.stop();
