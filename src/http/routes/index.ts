import type { RouteSpec } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { cockpitRoutes } from './cockpit.ts';
import { deployRoutes } from './deploy.ts';
import { documentRoutes } from './documents.ts';
import { importRoutes } from './imports.ts';
import { incidentRoutes } from './incidents.ts';
import { indicatorRoutes } from './indicators.ts';
import { itemRoutes } from './items.ts';
import { loopStartRoutes } from './loop-starts.ts';
import { monitorRoutes } from './monitor.ts';
import { sessionRoutes } from './session.ts';
import { taskRoutes } from './tasks.ts';
import { traceRoutes } from './trace.ts';

/** The one list of HTTP routes; the authorization-matrix test walks it. */
export const routes: RouteSpec<never, never, never>[] = [...sessionRoutes, ...taskRoutes, ...adminRoutes, ...monitorRoutes, ...incidentRoutes, ...deployRoutes, ...traceRoutes, ...documentRoutes, ...importRoutes, ...itemRoutes, ...loopStartRoutes, ...cockpitRoutes, ...indicatorRoutes] as unknown as RouteSpec<
  never,
  never,
  never
>[];
