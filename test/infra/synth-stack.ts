// Builds the app the way infra/app.ts does and returns its template with the
// helpers the infra tests share. Synthesis bundles every function with esbuild,
// so each test file calls this once, in beforeAll.
import { type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { createApp } from "../../infra/create-app.js";
import type { AttacheStack } from "../../infra/stacks/attache-stack.js";

export interface SynthesizedStack {
  stack: AttacheStack;
  template: Template;
  /** The template's resources, keyed by logical id. */
  resources: Record<string, CfnResourceJson>;
  /** Logical id of a construct's CloudFormation resource (its default child). */
  logicalId(construct: IConstruct): string;
}

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function synthesizeStack(context: Record<string, unknown> = {}): SynthesizedStack {
  const { stack } = createApp({ context }, { nag: false });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
  return {
    stack,
    template,
    resources,
    logicalId(construct) {
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return Stack.of(construct).getLogicalId(element);
    },
  };
}

/** Resources of one CloudFormation type, as [logicalId, resource] pairs. */
export function resourcesOfType(
  resources: Record<string, CfnResourceJson>,
  type: string,
): Array<[string, CfnResourceJson]> {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` and friends, for comparing references. */
export const getAtt = (logicalId: string, attribute: string) => ({ "Fn::GetAtt": [logicalId, attribute] });
export const ref = (logicalId: string) => ({ Ref: logicalId });
