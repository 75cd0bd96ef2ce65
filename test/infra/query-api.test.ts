// The read routes of the REST API (infra/constructs/articles-api.ts), synthesized on
// their own with stand-in functions: every route is a GET, IAM-authorised, proxied to
// the query function, and declares the parameters docs/openapi.yaml documents.
import { App, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { ArticlesApi } from "../../infra/constructs/articles-api.js";
import { loadOpenApi } from "../api/openapi-document.js";

interface MethodJson {
  HttpMethod: string;
  AuthorizationType: string;
  ResourceId: unknown;
  RequestParameters?: Record<string, boolean>;
  Integration: { Type: string; Uri: unknown };
}

let template: Template;
let stack: Stack;
let api: ArticlesApi;
let queryId: string;
let ingestId: string;

beforeAll(() => {
  const app = new App();
  stack = new Stack(app, "QueryApiTest");
  const stand = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: lambda.Code.fromInline("exports.handler = async () => ({ statusCode: 200, body: '{}' });"),
    });
  const ingest = stand("Ingest");
  const query = stand("Query");
  api = new ArticlesApi(stack, "Api", {
    stage: "test",
    isProduction: false,
    ingestFunction: ingest,
    queryFunction: query,
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  template = Template.fromStack(stack);
  queryId = stack.getLogicalId(query.node.defaultChild as lambda.CfnFunction);
  ingestId = stack.getLogicalId(ingest.node.defaultChild as lambda.CfnFunction);
});

/** Every method with its full resource path, rebuilt from the template's resources. */
function listMethods(): Map<string, MethodJson> {
  // biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; the assertions check its shape.
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const pathOf = (id: unknown): string => {
    const ref = (id as { Ref?: string }).Ref;
    if (!ref) return ""; // the root resource is referenced through Fn::GetAtt
    const resource = resources[ref]!.Properties;
    return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
  };
  const methods = new Map<string, MethodJson>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== "AWS::ApiGateway::Method") continue;
    const method = resource.Properties as MethodJson;
    methods.set(`${method.HttpMethod} ${pathOf(method.ResourceId) || "/"}`, method);
  }
  return methods;
}

const QUERY_ROUTES = [
  "/articles/{id}",
  "/events",
  "/dyads",
  "/dyads/{a}/{b}",
  "/actors/{entity}",
  "/clusters/{id}",
];

describe("read routes", () => {
  it("has exactly POST /articles and the six GET routes", () => {
    expect([...listMethods().keys()].sort()).toEqual(
      ["POST /articles", ...QUERY_ROUTES.map((route) => `GET ${route}`)].sort(),
    );
  });

  it.each(QUERY_ROUTES)("GET %s is IAM-authorised and proxied to the query function", (route) => {
    const method = listMethods().get(`GET ${route}`)!;
    expect(method.AuthorizationType).toBe("AWS_IAM");
    expect(method.Integration.Type).toBe("AWS_PROXY");
    expect(JSON.stringify(method.Integration.Uri)).toContain(queryId);
    expect(JSON.stringify(method.Integration.Uri)).not.toContain(ingestId);
  });

  it("declares the parameters the OpenAPI document gives each route: path ones required, query ones optional", () => {
    const document = loadOpenApi() as unknown as {
      paths: Record<string, { get?: { parameters?: Array<{ name?: string; in?: string; $ref?: string }> } }>;
      components: { parameters: Record<string, { name: string; in: string }> };
    };
    for (const route of QUERY_ROUTES) {
      const declared = (document.paths[route]?.get?.parameters ?? []).map((p) =>
        p.$ref
          ? document.components.parameters[p.$ref.split("/").at(-1)!]!
          : (p as { name: string; in: string }),
      );
      const expected = Object.fromEntries(
        declared.map((p) => [
          `method.request.${p.in === "path" ? "path" : "querystring"}.${p.name}`,
          p.in === "path",
        ]),
      );
      expect(listMethods().get(`GET ${route}`)!.RequestParameters ?? {}, route).toEqual(expected);
    }
  });

  it("lets API Gateway invoke the query function for every read route", () => {
    const permissions = Object.values(template.findResources("AWS::Lambda::Permission")).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes(queryId),
    );
    for (const route of QUERY_ROUTES) {
      const sourceArn = route.replace(/\{[^}]+\}/g, "*");
      expect(
        permissions.some((p) => JSON.stringify(p.Properties.SourceArn).includes(`/GET${sourceArn}`)),
        route,
      ).toBe(true);
    }
  });

  it("exposes the methods by path for grants", () => {
    expect(Object.keys(api.queryMethods).sort()).toEqual(
      QUERY_ROUTES.filter((r) => r !== "/articles/{id}").sort(),
    );
  });
});
