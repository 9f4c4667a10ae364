import { buildWeb } from '../../scripts/web-build.ts';

/** Browser tests drive the built web app: build web-modeler-assets into web-dist unless it is fresh. */
export default async function setup(): Promise<void> {
  await buildWeb({ quiet: true });
}
