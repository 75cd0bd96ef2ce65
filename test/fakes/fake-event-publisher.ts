// An EventPublisher that keeps what it was given and fails the entries a test chooses.
import { EventPublishError } from "../../functions/core/errors.js";
import type { BusEntry, EventPublisher, FailedBusEntry } from "../../functions/core/ports.js";

export class FakeEventPublisher implements EventPublisher {
  readonly published: BusEntry[] = [];
  readonly calls: BusEntry[][] = [];
  /** Entries for which this returns true are refused (with this error code). */
  failWhen?: (entry: BusEntry) => string | undefined;
  busExists = true;
  busChecks = 0;

  async publish(entries: readonly BusEntry[]): Promise<void> {
    this.calls.push([...entries]);
    const failed: FailedBusEntry[] = [];
    entries.forEach((entry, index) => {
      const errorCode = this.failWhen?.(entry);
      if (errorCode) failed.push({ index, entry, errorCode });
      else this.published.push(structuredClone(entry));
    });
    if (failed.length > 0) throw new EventPublishError(`${failed.length} entries failed`, failed);
  }

  async assertBusExists(): Promise<void> {
    this.busChecks += 1;
    if (!this.busExists) throw new Error("no such bus");
  }
}
