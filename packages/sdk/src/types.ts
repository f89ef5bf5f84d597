import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@taskwire/trpc';

export type { AppRouter };
/** Input types of every procedure, such as `RouterInputs['tasks']['create']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Output types of every procedure, such as `RouterOutputs['tasks']['get']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Task = RouterOutputs['tasks']['get'];
export type User = RouterOutputs['auth']['login']['user'];
