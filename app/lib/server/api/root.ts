import { router } from './init';
import { adminRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { attendanceRouter } from './routers/attendance';
import { councilRouter } from './routers/council';
import { floorRouter } from './routers/floor';
import { sittingRouter } from './routers/sitting';
import { voteRouter } from './routers/vote';

export const appRouter = router({
	auth: authRouter,
	council: councilRouter,
	admin: adminRouter,
	sitting: sittingRouter,
	attendance: attendanceRouter,
	floor: floorRouter,
	vote: voteRouter
});

export type AppRouter = typeof appRouter;
