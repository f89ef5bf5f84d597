import { router } from './trpc.js';
import { authRouter } from './routers/auth.js';
import { tasksRouter } from './routers/tasks.js';
import { usersRouter } from './routers/users.js';

export const appRouter = router({
  auth: authRouter,
  tasks: tasksRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
