// `npm start` as a user runs it: a child process that starts its own
// DynamoDB Local (java), answers /health, and leaves nothing running after
// Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or a
// SIGTERM to the main process alone (as a process manager sends it).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort } from "../../local/dynamodb-local.js";

const projectRoot = resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProcessInfo {
  pid: number;
  cmdline: string;
}

/** Every live process in a process group: from /proc on Linux, from `ps` elsewhere (macOS). */
function processesInGroup(pgid: number): ProcessInfo[] {
  if (!existsSync("/proc/self/stat")) {
    return execFileSync("ps", ["-A", "-o", "pid=,pgid=,stat=,args="], { encoding: "utf8" })
      .split("\n")
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === pgid && !m[3]!.startsWith("Z"))
      .map((m) => ({ pid: Number(m[1]), cmdline: m[4]! }));
  }
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after "(comm)": state ppid pgrp ...; comm may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      if (Number(fields[2]) !== pgid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      found.push({ pid: Number(entry), cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  // Whatever happened in the test, take the group down.
  if (child?.pid && processesInGroup(child.pid).length > 0) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  child = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function launch(): Promise<{ url: string; output: () => string; exited: Promise<number | null> }> {
  const port = await findFreePort();
  dataDir = await mkdtemp(join(tmpdir(), "attache-start-"));
  let output = "";
  const started = spawn(join(projectRoot, "node_modules/.bin/tsx"), ["local/start.ts"], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), ATTACHE_DATA_DIR: dataDir },
    // Its own process group, like a shell job, so the group can be signalled and inspected.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = started;
  started.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  started.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) =>
    started.once("exit", (code) => resolveExit(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (started.exitCode !== null)
      throw new Error(`npm start exited early (${started.exitCode}):\n${output}`);
    const res = await fetch(`${url}/health`).catch(() => undefined);
    if (res?.status === 200) break;
    await res?.body?.cancel();
    await sleep(200);
  }
  return { url, output: () => output, exited };
}

async function waitUntilGroupIsGone(pgid: number): Promise<void> {
  while (processesInGroup(pgid).length > 0) await sleep(100);
}

describe("npm start as a process", () => {
  it("Ctrl-C (SIGINT to the process group) stops everything, java included", {
    timeout: 120_000,
  }, async () => {
    const { url, output, exited } = await launch();
    const pgid = child!.pid!;
    const before = processesInGroup(pgid);
    expect(before.some((p) => p.cmdline.includes("DynamoDBLocal.jar"))).toBe(true);
    expect(output()).toContain(`Attaché is running on ${url}`);

    process.kill(-pgid, "SIGINT");
    expect(await exited).toBe(0);
    await waitUntilGroupIsGone(pgid);
    expect(processesInGroup(pgid)).toEqual([]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("SIGTERM to the main process alone stops its DynamoDB Local too", { timeout: 120_000 }, async () => {
    const { url, exited } = await launch();
    const pgid = child!.pid!;
    const java = processesInGroup(pgid).filter((p) => p.cmdline.includes("DynamoDBLocal.jar"));
    expect(java).toHaveLength(1);

    process.kill(pgid, "SIGTERM");
    expect(await exited).toBe(0);
    await waitUntilGroupIsGone(pgid);
    expect(processesInGroup(pgid)).toEqual([]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
