/**
 * One waiter, woken when what it waits for may have changed; it checks its condition again
 * (`while (!ready) await wakeup.wait()`). The row thread and its importer wait this way on each
 * other's messages: a chunk arrived, a credit came back, the job ended.
 */
export class Wakeup {
  private waiter: (() => void) | undefined;

  wait(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * A sender's credits towards a receiver that hands each back as it reads: `take` waits while all
 * are out, unless `unpaced()` says to go on regardless (the job failed), and `give` returns one.
 * The row thread and its importer pace every direction between them this way (case-rows-thread.ts).
 */
export class Credits {
  private out = 0;
  private readonly returned = new Wakeup();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  async take(unpaced: () => boolean = () => false): Promise<void> {
    while (this.out >= this.limit && !unpaced()) await this.returned.wait();
    this.out += 1;
  }

  give(): void {
    this.out -= 1;
    this.returned.wake();
  }

  /** A waiting `take` looks at `unpaced()` again. */
  wake(): void {
    this.returned.wake();
  }
}
