// Per-sentence index arrays, reused instead of allocated. A typed array longer
// than a few dozen bytes gets its own off-heap backing store, which cost more
// than everything else the engine did with it (three per sentence). The engine
// is synchronous and codes one sentence at a time, so each slot has one user at
// a time; the view returned for a length is exactly that long, so reads past
// the sentence still give `undefined` as a fresh array would.

const INDEX_SLOTS = 2;
const indexPools: Int32Array[] = [];
const indexViews: Int32Array[][] = [];
for (let s = 0; s < INDEX_SLOTS; s++) {
  indexPools.push(new Int32Array(256));
  indexViews.push([]);
}
let flagPool = new Uint8Array(256);
let flagViews: Uint8Array[] = [];

/** An array of `length` entries, all -1; `slot` 0 or 1 (two can be in use at once). */
export function sentenceIndex(slot: 0 | 1, length: number): Int32Array {
  if (length > indexPools[slot]!.length) {
    indexPools[slot] = new Int32Array(Math.max(length, indexPools[slot]!.length * 2));
    indexViews[slot] = [];
  }
  const views = indexViews[slot]!;
  let view = views[length];
  if (view === undefined) {
    view = indexPools[slot]!.subarray(0, length);
    views[length] = view;
  }
  return view.fill(-1);
}

/** An array of `length` zero flags. */
export function sentenceFlags(length: number): Uint8Array {
  if (length > flagPool.length) {
    flagPool = new Uint8Array(Math.max(length, flagPool.length * 2));
    flagViews = [];
  }
  let view = flagViews[length];
  if (view === undefined) {
    view = flagPool.subarray(0, length);
    flagViews[length] = view;
  }
  return view.fill(0);
}
