import { SERVICE_ACCOUNT, type EngineAddress, type EngineCredentials } from '../../src/engine/client.ts';
import { testPorts } from './ports.ts';

/** Every test engine (shared, private, the county-year sandbox's) takes the app's account with this password. */
export const TEST_SERVICE_PASSWORD = 'test-service-password';
export const testEngineCredentials: EngineCredentials = { user: SERVICE_ACCOUNT, password: TEST_SERVICE_PASSWORD };

export function testEngineAddress(): EngineAddress {
  return { restAddress: process.env.TEST_ENGINE_ADDRESS ?? `http://127.0.0.1:${testPorts.engine}`, credentials: testEngineCredentials };
}

/** Polls until a value appears (src/shared/wait-for.ts). */
export { waitFor as eventually } from '../../src/shared/wait-for.ts';
