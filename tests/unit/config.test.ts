import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.REMINDER_LEAD).toBe('P3D');
    expect(config.CAMUNDA_VERSION).toBe('8.6.0');
  });

  it('when a key is invalid, then the start fails naming the key and the reason', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty', REMINDER_LEAD: '3 days' })).toThrow(ConfigError);
    try {
      loadConfig({ HTTP_PORT: 'eighty', REMINDER_LEAD: '3 days' });
    } catch (error) {
      expect((error as Error).message).toMatch(/HTTP_PORT/);
      expect((error as Error).message).toMatch(/REMINDER_LEAD: must be an ISO-8601 duration/);
    }
  });

  it('when the gRPC address lacks its scheme, then it is refused (the SDK would throw later)', () => {
    expect(() => loadConfig({ CAMUNDA_GRPC_ADDRESS: '127.0.0.1:26500' })).toThrow(/CAMUNDA_GRPC_ADDRESS/);
  });
});
