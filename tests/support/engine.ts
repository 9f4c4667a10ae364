import type { EngineAddress } from '../../src/engine/client.ts';
import { testPorts } from './ports.ts';

export function testEngineAddress(): EngineAddress {
  return { restAddress: process.env.TEST_ENGINE_ADDRESS ?? `http://127.0.0.1:${testPorts.engine}` };
}

/** Polls until a value appears (src/shared/wait-for.ts). */
export { waitFor as eventually } from '../../src/shared/wait-for.ts';
