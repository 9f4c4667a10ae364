import type { EngineAddress } from '../../src/engine/client.ts';
import { testPorts } from './ports.ts';

export function testEngineAddress(): EngineAddress {
  return {
    restAddress: process.env.TEST_CAMUNDA_REST_ADDRESS ?? `http://127.0.0.1:${testPorts.camundaRest}`,
    grpcAddress: process.env.TEST_CAMUNDA_GRPC_ADDRESS ?? `grpc://127.0.0.1:${testPorts.camundaGrpc}`,
  };
}

/** Polls until `probe` returns a value (the read model is eventually consistent); never sleeps for engine time. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
