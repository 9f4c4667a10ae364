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
