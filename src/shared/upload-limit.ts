import { Transform, type Readable } from 'node:stream';

/**
 * Upload size limits, enforced while the bytes arrive: a declared length over the limit is refused
 * before a byte is read, and a stream that passes it is stopped there. The HTTP layer answers 413
 * for errors of type `entity.too.large` (the type body-parser uses).
 */
const TOO_LARGE = 'entity.too.large';

export const tooLarge = (message: string): Error => Object.assign(new Error(message), { type: TOO_LARGE });

/** An upload stopped at its limit, here or by body-parser (same type). */
export const isTooLarge = (error: unknown): boolean => (error as { type?: unknown } | null)?.type === TOO_LARGE;

export function refuseDeclaredOver(limit: number, declaredBytes: number | undefined, body: Readable): void {
  if (declaredBytes !== undefined && declaredBytes > limit) {
    body.resume();
    throw tooLarge(`upload of ${declaredBytes} bytes exceeds ${limit}`);
  }
}

/** Counts bytes as they pass and fails the stream at the limit, never buffering it. */
export function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) done(tooLarge(`upload exceeds ${limit} bytes`));
      else done(null, chunk);
    },
  });
}

/** A small upload read whole (an attachment stored in the database), refused at the limit. */
export async function readLimited(body: Readable, limit: number, declaredBytes?: number): Promise<Buffer> {
  refuseDeclaredOver(limit, declaredBytes, body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.resume();
      throw tooLarge(`upload exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
