import { router } from './init';
import { adminRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { councilRouter } from './routers/council';

export const appRouter = router({
	auth: authRouter,
	council: councilRouter,
	admin: adminRouter
});

export type AppRouter = typeof appRouter;
