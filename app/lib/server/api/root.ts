import { router } from './init';
import { adminRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { attendanceRouter } from './routers/attendance';
import { councilRouter } from './routers/council';
import { floorRouter } from './routers/floor';
import { sittingRouter } from './routers/sitting';
import { voteRouter } from './routers/vote';
import { mediaRouter } from './routers/media';
import { conferenceRouter } from './routers/conference';
import { resolutionRouter } from './routers/resolution';
import { monitorRouter } from './routers/monitor';
import { followupRouter } from './routers/followup';
import { consultationRouter } from './routers/consultation';
import { petitionRouter } from './routers/petition';
import { notificationRouter } from './routers/notification';
import { directoryRouter } from './routers/directory';
import { secretBallotRouter } from './routers/secret-ballot';

export const appRouter = router({
	auth: authRouter,
	council: councilRouter,
	admin: adminRouter,
	sitting: sittingRouter,
	attendance: attendanceRouter,
	floor: floorRouter,
	vote: voteRouter,
	media: mediaRouter,
	conference: conferenceRouter,
	resolution: resolutionRouter,
	monitor: monitorRouter,
	followup: followupRouter,
	consultation: consultationRouter,
	petition: petitionRouter,
	notification: notificationRouter,
	directory: directoryRouter,
	secretBallot: secretBallotRouter
});

export type AppRouter = typeof appRouter;
