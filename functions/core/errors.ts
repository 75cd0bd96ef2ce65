// Errors the core and the adapters raise; each keeps its cause so logs show the root.
import type { FailedBusEntry } from "./ports.js";

export class EventPublishError extends Error {
  readonly failed: FailedBusEntry[];
  constructor(message: string, failed: FailedBusEntry[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EventPublishError";
    this.failed = failed;
  }
}

export class EventBusNotFoundError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EventBusNotFoundError";
  }
}

/** Another delivery stored a different content for the same article first; retrying will re-read and proceed. */
export class ConcurrentVersionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConcurrentVersionError";
  }
}

/** The store could not complete a write after its own retries (throttling, conflicts, unprocessed items). */
export class StoreWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreWriteError";
  }
}

/** A message or record that can never be processed as it is (malformed, fails its schema). */
export class InvalidInputError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(
    message: string,
    issues: { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "InvalidInputError";
    this.issues = issues;
  }
}

/** The coder returned something that does not belong to the article it was given. */
export class CoderOutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CoderOutputError";
  }
}

export class MissingConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MissingConfigurationError";
  }
}
