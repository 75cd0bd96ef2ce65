// The publishers' REST API: POST /articles (ingest) and the read routes, GET
// /articles/{id}, /events, /dyads, /dyads/{a}/{b}, /actors/{entity} and
// /clusters/{id} (query, read-only), all behind IAM (SigV4) authorisation,
// throttled, access-logged as JSON and traced. docs/openapi.yaml describes them.
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface ArticlesApiProps {
  stage: string;
  isProduction: boolean;
  ingestFunction: lambda.IFunction;
  queryFunction: lambda.IFunction;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Steady-state requests per second across the stage. */
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
}

export class ArticlesApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogGroup: logs.LogGroup;
  readonly postArticlesMethod: apigw.Method;
  readonly getArticleMethod: apigw.Method;
  /** The read routes besides GET /articles/{id}, by resource path. */
  readonly queryMethods: Record<string, apigw.Method> = {};

  constructor(scope: Construct, id: string, props: ArticlesApiProps) {
    super(scope, id);

    this.accessLogGroup = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.api = new apigw.RestApi(this, "Api", {
      restApiName: `attache-${props.stage}`,
      description: "Attaché: publish articles and read what was coded from them",
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Access logs need the account-level API Gateway logging role. It is shared by
      // every REST API in the region, so it outlives this stack.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        // Execution logs without request/response bodies: articles are not logged.
        loggingLevel: props.isProduction ? apigw.MethodLoggingLevel.ERROR : apigw.MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
    });

    // Errors API Gateway answers itself (missing signature, throttling, unknown
    // route) use the same JSON error envelope as the handlers.
    for (const [id, type] of [
      ["Default4xx", apigw.ResponseType.DEFAULT_4XX],
      ["Default5xx", apigw.ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, {
        type,
        responseHeaders: {
          "Content-Type": "'application/json'",
          "X-Content-Type-Options": "'nosniff'",
        },
        templates: {
          "application/json":
            '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"issues":[]}}',
        },
      });
    }

    // The body is validated by the ingest handler, which names each bad field in its
    // answer and behaves the same in the local stack; API Gateway checks parameters.
    const validator = this.api.addRequestValidator("ParameterValidator", {
      validateRequestParameters: true,
      validateRequestBody: false,
    });

    const articles = this.api.root.addResource("articles");
    this.postArticlesMethod = articles.addMethod(
      "POST",
      new apigw.LambdaIntegration(props.ingestFunction, { allowTestInvoke: false }),
      { authorizationType: apigw.AuthorizationType.IAM, requestValidator: validator },
    );

    const article = articles.addResource("{id}");
    this.getArticleMethod = article.addMethod(
      "GET",
      new apigw.LambdaIntegration(props.queryFunction, { allowTestInvoke: false }),
      {
        authorizationType: apigw.AuthorizationType.IAM,
        requestValidator: validator,
        requestParameters: { "method.request.path.id": true },
      },
    );

    // The read routes: one query function behind each. Query strings are declared (all
    // optional) so the API documents them; the function validates them and names a bad one.
    const queryIntegration = new apigw.LambdaIntegration(props.queryFunction, { allowTestInvoke: false });
    const addQueryMethod = (resource: apigw.IResource, pathParameters: string[], queryStrings: string[]) => {
      this.queryMethods[resource.path] = resource.addMethod("GET", queryIntegration, {
        authorizationType: apigw.AuthorizationType.IAM,
        requestValidator: validator,
        requestParameters: Object.fromEntries([
          ...pathParameters.map((name) => [`method.request.path.${name}`, true] as const),
          ...queryStrings.map((name) => [`method.request.querystring.${name}`, false] as const),
        ]),
      });
    };
    const range = ["from", "to"];
    addQueryMethod(
      this.api.root.addResource("events"),
      [],
      ["actor", "target", ...range, "root", "quadClass", "confirmed", "limit", "cursor"],
    );
    const dyads = this.api.root.addResource("dyads");
    addQueryMethod(dyads, [], range);
    addQueryMethod(dyads.addResource("{a}").addResource("{b}"), ["a", "b"], [...range, "limit"]);
    addQueryMethod(this.api.root.addResource("actors").addResource("{entity}"), ["entity"], ["limit"]);
    addQueryMethod(this.api.root.addResource("clusters").addResource("{id}"), ["id"], []);

    Validations.of(this.api).acknowledge(
      {
        id: "AwsSolutions-APIG2",
        reason:
          "Request parameters are validated by API Gateway; the article body is validated by the ingest handler, which names every bad field in its 4xx answer (API Gateway's model validation cannot) and answers the same in the local stack.",
      },
      {
        id: "AwsSolutions-APIG3",
        reason:
          "Every method requires SigV4-signed IAM credentials and the stage is throttled; a WAF web ACL can be associated by the operator where the account uses one.",
      },
      {
        id: "AwsSolutions-COG4",
        reason: "Callers are AWS principals authorised with IAM (SigV4), not Cognito users.",
      },
      {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        reason:
          "The account-level API Gateway logging role uses the AWS-maintained policy that API Gateway documents for writing access and execution logs.",
      },
    );
  }

  /** The ARN a publisher's IAM policy grants execute-api:Invoke on, for POST /articles. */
  get postArticlesArn(): string {
    return this.api.arnForExecuteApi("POST", "/articles", this.api.deploymentStage.stageName);
  }
}
