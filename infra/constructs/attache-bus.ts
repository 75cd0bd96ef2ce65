// The custom event bus, its archive (for replay after a fix or for a new
// subscriber's backfill) and the helper that turns a route from
// events/routing.ts into a rule with a queue target.
import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { RouteDefinition } from "../../events/routing.js";
import { toCdkEventPattern } from "../event-pattern.js";

export interface AttacheBusProps {
  busName: string;
  /** 0 keeps archived events indefinitely. */
  archiveRetentionDays: number;
}

export class AttacheBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string, props: AttacheBusProps) {
    super(scope, id);

    this.bus = new events.EventBus(this, "Bus", {
      eventBusName: props.busName,
      description: "Attaché: published articles and the events coded from them",
    });

    this.archive = this.bus.archive("Archive", {
      description: "Every event on the Attaché bus, for replay",
      // An archive needs a pattern; an empty source prefix matches every event,
      // including those publishers from other accounts put on the bus.
      eventPattern: { source: events.Match.prefix("") },
      ...(props.archiveRetentionDays > 0 ? { retention: Duration.days(props.archiveRetentionDays) } : {}),
    });
  }

  /**
   * Lets `grantee` put events on the bus, and describe it: the publishing functions
   * check at cold start that the bus exists, because PutEvents to a missing bus can
   * look like success.
   */
  grantPublish(grantee: iam.IGrantable): void {
    this.bus.grantPutEventsTo(grantee);
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["events:DescribeEventBus"],
      resourceArns: [this.bus.eventBusArn],
    });
  }

  /**
   * A rule for `route` that delivers the whole event envelope to `queue`. Events
   * EventBridge cannot deliver within its retry window go to `deliveryDeadLetterQueue`
   * instead of being dropped.
   */
  routeToQueue(route: RouteDefinition, queue: sqs.IQueue, deliveryDeadLetterQueue: sqs.IQueue): events.Rule {
    const rule = new events.Rule(this, route.id, {
      eventBus: this.bus,
      description: route.description,
      eventPattern: toCdkEventPattern(route.pattern),
    });
    rule.addTarget(
      new targets.SqsQueue(queue, {
        deadLetterQueue: deliveryDeadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
    return rule;
  }
}
