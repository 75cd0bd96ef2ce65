// FNV-1a 64-bit over UTF-16 code units. Ids must be stable across runs and
// machines without pulling node:crypto into the pure coder (it also runs in
// browsers and workers), and 64 bits is plenty for ids within one article.
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

export function hashText(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, "0");
}
