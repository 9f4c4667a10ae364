/** Minimal typing of bloomfilter 1.1 (ships no types): a Bloom filter of m bits and k hash functions over strings. */
declare module 'bloomfilter' {
  export class BloomFilter {
    constructor(bits: number, hashes: number);
    add(value: string): void;
    test(value: string): boolean;
  }
}
