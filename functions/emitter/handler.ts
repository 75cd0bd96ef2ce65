// Lambda entry point for the table stream: real adapters, wired once per cold start.
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { createEventBridgePublisher } from "../adapters/eventbridge-publisher.js";
import { createOnce, readRequiredEnv } from "../shared/environment.js";
import { createObservability } from "../shared/observability.js";
import { createEmitterHandler } from "./create-emitter-handler.js";

const eventBusName = readRequiredEnv("EVENT_BUS_NAME");
const { logger, metrics } = createObservability("emitter");
const publisher = createEventBridgePublisher({
  client: new EventBridgeClient({}),
  eventBusName,
});

export const handler = createEmitterHandler({
  publisher,
  logger,
  metrics,
  ensureReady: createOnce(() => publisher.assertBusExists()),
});
