import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * Zip files built byte by byte, as a hostile uploader would: the sizes the headers declare are
 * whatever the test says (they may lie), and a directory entry may point at another entry's data
 * (overlapping entries, the "better zip bomb").
 */

export interface Deflated {
  deflated: Buffer;
  /** Bytes it inflates to. */
  size: number;
  crc: number;
}

/** `chunks` deflated as they stream (a bomb's inflated text is never held whole). */
export async function deflate(chunks: Iterable<Buffer>): Promise<Deflated> {
  let size = 0;
  let crc = 0;
  const counted = function* () {
    for (const chunk of chunks) {
      size += chunk.length;
      crc = crc32(chunk, crc);
      yield chunk;
    }
  };
  const deflated = await buffer(Readable.from(counted()).pipe(createDeflateRaw({ level: 9 })));
  return { deflated, size, crc };
}

/** `text` repeated until `bytes` long, as chunks of up to 1 MiB. */
export function* repeated(text: string, bytes: number): Generator<Buffer> {
  const chunk = Buffer.from(text.repeat(Math.ceil((1024 * 1024) / text.length)));
  for (let left = bytes; left > 0; left -= chunk.length) yield chunk.subarray(0, Math.min(left, chunk.length));
}

export type ZipPart = { name: string } & ({ data: Deflated; declaredSize?: number } | { sameDataAs: string; declaredSize: number });

/**
 * A zip of deflated parts: each with its local header, then the central directory. `declaredSize`
 * is what both headers say the part inflates to (its real size when unset); `sameDataAs` makes a
 * directory entry point at an earlier part's local header and data.
 */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  const written = new Map<string, { offset: number; data: Deflated }>();
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const target = 'sameDataAs' in part ? written.get(part.sameDataAs)! : { offset, data: part.data };
    const size = part.declaredSize ?? target.data.size;
    if ('data' in part) {
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x0800, 6);
      header.writeUInt16LE(8, 8);
      header.writeUInt32LE(part.data.crc, 14);
      header.writeUInt32LE(part.data.deflated.length, 18);
      header.writeUInt32LE(size, 22);
      header.writeUInt16LE(name.length, 26);
      local.push(header, name, part.data.deflated);
      written.set(part.name, target);
      offset += header.length + name.length + part.data.deflated.length;
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(target.data.crc, 16);
    entry.writeUInt32LE(target.data.deflated.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(target.offset, 42);
    central.push(entry, name);
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}
