// CPU time of this process's descendants, by command name (node: the bench's local stack;
// java: its DynamoDB Local), read from /proc, so a load step can say which of them spent
// the cores while it ran. Linux only; elsewhere the reading is empty.
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each command among this process's descendants. */
export function readDescendantCpuSeconds(): Record<string, number> {
  const processes = new Map<number, { ppid: number; comm: string; cpu: number }>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return {};
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      processes.set(Number(name), {
        ppid: Number(fields[1]),
        comm,
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch {
      // The process ended while the list was read.
    }
  }
  const out: Record<string, number> = {};
  for (const [pid, info] of processes) {
    let up = info.ppid;
    while (up > 1 && up !== process.pid) up = processes.get(up)?.ppid ?? 0;
    if (up === process.pid && pid !== process.pid) out[info.comm] = (out[info.comm] ?? 0) + info.cpu;
  }
  return out;
}

/** CPU seconds each command spent between two readings. */
export function diffCpuSeconds(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([comm, cpu]) => [comm, +(cpu - (before[comm] ?? 0)).toFixed(1)]),
  );
}
