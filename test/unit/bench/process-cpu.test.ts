import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { diffCpuSeconds, readDescendantCpuSeconds } from "../../../bench/process-cpu.js";

describe("readDescendantCpuSeconds", () => {
  it.runIf(process.platform === "linux")(
    "counts the CPU a busy child has spent, under its command name",
    async () => {
      // A child that spins until it has spent 300 ms of CPU by its own count, says so, then idles.
      const child = spawn(
        process.execPath,
        [
          "-e",
          "while (process.cpuUsage().user < 300_000); process.stdout.write('spun\\n'); setInterval(() => {}, 1000);",
        ],
        { stdio: ["ignore", "pipe", "ignore"] },
      );
      try {
        await new Promise((resolve) => child.stdout.once("data", resolve));
        const reading = readDescendantCpuSeconds();
        expect(reading.node ?? 0).toBeGreaterThanOrEqual(0.25);
      } finally {
        child.kill();
      }
    },
  );
});

describe("diffCpuSeconds", () => {
  it("subtracts the earlier reading per command, a command new since then counting from zero", () => {
    expect(diffCpuSeconds({ node: 1.25, java: 4 }, { node: 2, java: 10.04, sh: 0.3 })).toEqual({
      node: 0.8,
      java: 6,
      sh: 0.3,
    });
  });
});
