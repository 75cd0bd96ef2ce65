// Reads a V8 .cpuprofile (from `node --cpu-prof`) into the functions that take
// the most self time, so BENCHMARKS.md can name the coder's hot spots.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  /** Function name, or "(anonymous)"; V8's own entries keep their "(garbage collector)" style names. */
  functionName: string;
  /** Path relative to the repository when it is inside it, else the URL V8 recorded. */
  location: string;
  selfMs: number;
  /** Share of all sampled time, 0–1. */
  share: number;
}

/**
 * Self time per function, summed over every node of the same function (a
 * function reached along several call paths has several nodes), largest first.
 * A sample's time is the delta to the next sample, as Chrome DevTools counts it.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  options: { repoRoot?: string; top?: number } = {},
): {
  totalMs: number;
  hotSpots: HotSpot[];
} {
  const frames = new Map<number, CallFrame>();
  for (const node of profile.nodes) frames.set(node.id, node.callFrame);
  const selfMicros = new Map<string, { frame: CallFrame; micros: number }>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frames.get(profile.samples[i] as number);
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (!frame) continue;
    total += delta;
    const key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;
    const entry = selfMicros.get(key);
    if (entry) entry.micros += delta;
    else selfMicros.set(key, { frame, micros: delta });
  }
  const root = options.repoRoot ? `file://${options.repoRoot.replace(/\/?$/, "/")}` : undefined;
  const hotSpots = [...selfMicros.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, options.top ?? 15)
    .map(({ frame, micros }) => {
      const url = root && frame.url.startsWith(root) ? frame.url.slice(root.length) : frame.url;
      return {
        functionName: frame.functionName || "(anonymous)",
        // Modules run through a transpiling loader may report every function on line 1: omit it then.
        location: url ? (frame.lineNumber > 0 ? `${url}:${frame.lineNumber + 1}` : url) : "(V8)",
        selfMs: micros / 1000,
        share: total > 0 ? micros / total : 0,
      };
    });
  return { totalMs: total / 1000, hotSpots };
}
