// Stands in for EventBridgeClient.send: answers PutEvents entry by entry as a test
// scripts it, and records every request, so retry and chunking behaviour can be checked.
import type { PutEventsRequestEntry, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";

export type EntryAnswer = (entry: PutEventsRequestEntry, call: number) => PutEventsResultEntry;

export class FakeEventBridgeClient {
  readonly putEventsCalls: PutEventsRequestEntry[][] = [];
  readonly describeCalls: string[] = [];
  answer: EntryAnswer = (_entry, call) => ({ EventId: `event-${call}` });
  /** When set, the whole call throws this (like a network error after the SDK's retries). */
  throwOnCall?: (call: number) => Error | undefined;
  existingBuses = new Set<string>(["attache-bus"]);

  // biome-ignore lint/suspicious/noExplicitAny: mirrors the SDK's overloaded send
  async send(command: any): Promise<any> {
    const name = command.constructor.name as string;
    if (name === "PutEventsCommand") {
      const entries = command.input.Entries as PutEventsRequestEntry[];
      this.putEventsCalls.push(entries);
      const call = this.putEventsCalls.length;
      const thrown = this.throwOnCall?.(call);
      if (thrown) throw thrown;
      const results = entries.map((entry) => this.answer(entry, call));
      return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
    }
    if (name === "DescribeEventBusCommand") {
      const busName = command.input.Name as string;
      this.describeCalls.push(busName);
      if (!this.existingBuses.has(busName)) {
        const error = new Error(`Event bus ${busName} does not exist.`);
        error.name = "ResourceNotFoundException";
        throw error;
      }
      return { Name: busName, Arn: `arn:aws:events:us-east-1:000000000000:event-bus/${busName}` };
    }
    throw new Error(`unexpected command ${name}`);
  }
}
