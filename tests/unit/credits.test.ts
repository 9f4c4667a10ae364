import { describe, expect, it } from 'vitest';
import { Credits } from '../../src/shared/wakeup.ts';

describe('credits between the row thread and its importer', () => {
  it('when every credit is out, then take waits until one is given back, and goes on unpaced once told to', async () => {
    const credits = new Credits(2);
    await credits.take();
    await credits.take();
    let third = false;
    const taking = credits.take().then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    credits.give();
    await taking;
    expect(third).toBe(true);

    let stop = false;
    let fourth = false;
    const unpaced = credits.take(() => stop).then(() => (fourth = true));
    await new Promise((r) => setImmediate(r));
    expect(fourth).toBe(false);
    stop = true;
    credits.wake();
    await unpaced;
    expect(fourth).toBe(true);
  });
});
