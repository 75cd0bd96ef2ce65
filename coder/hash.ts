// FNV-1a 64-bit over UTF-16 code units. Ids must be stable across runs and
// machines without pulling node:crypto into the pure coder (it also runs in
// browsers and workers), and 64 bits is plenty for ids within one article.
// The 64-bit product is done on two 32-bit halves: BigInt arithmetic allocates
// per character and cost more than the rest of id making together.

// FNV prime 0x100000001b3 = 2^40 + 0x1b3; offset basis 0xcbf29ce484222325.
const PRIME_LOW = 0x1b3;
const OFFSET_HIGH = 0xcbf29ce4;
const OFFSET_LOW = 0x84222325;

export function hashText(text: string): string {
  let hi = OFFSET_HIGH;
  let lo = OFFSET_LOW;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // (hi·2^32 + lo)·(2^40 + 0x1b3) mod 2^64: lo·0x1b3 fits a double exactly (< 2^41).
    const loProduct = lo * PRIME_LOW;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (Math.imul(hi, PRIME_LOW) + carry + (lo << 8)) >>> 0;
    lo = loProduct >>> 0;
  }
  return hex8(hi) + hex8(lo);
}

/** Two hex digits per byte value: `toString(16)` and `padStart` cost more than the hash itself. */
const HEX_BYTE: string[] = [];
for (let b = 0; b < 256; b++) HEX_BYTE.push((b < 16 ? "0" : "") + b.toString(16));

/** An unsigned 32-bit number as eight lower-case hex digits. */
function hex8(n: number): string {
  return HEX_BYTE[n >>> 24]! + HEX_BYTE[(n >>> 16) & 255]! + HEX_BYTE[(n >>> 8) & 255]! + HEX_BYTE[n & 255]!;
}
