import type { EngineAddress } from '../../src/engine/client.ts';
import { testPorts } from './ports.ts';

export function testEngineAddress(): EngineAddress {
  return {
    restAddress: process.env.TEST_CAMUNDA_REST_ADDRESS ?? `http://127.0.0.1:${testPorts.camundaRest}`,
    grpcAddress: process.env.TEST_CAMUNDA_GRPC_ADDRESS ?? `grpc://127.0.0.1:${testPorts.camundaGrpc}`,
  };
}

/** Polls the read model until a value appears (src/shared/wait-for.ts). */
export { waitFor as eventually } from '../../src/shared/wait-for.ts';
