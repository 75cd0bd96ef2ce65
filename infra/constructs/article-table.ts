// The single DynamoDB table, built from functions/shared/table-schema.ts so the
// deployed table has exactly the keys and indexes the local stack and the store use.
import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import {
  GLOBAL_SECONDARY_INDEXES,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TABLE_STREAM_VIEW,
  TABLE_TTL_ATTRIBUTE,
} from "../../functions/shared/table-schema.js";

export interface ArticleTableProps {
  /** Production keeps the table (and protects it from deletion) when the stack goes. */
  isProduction: boolean;
}

export class ArticleTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ArticleTableProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SORT_KEY, type: dynamodb.AttributeType.STRING },
      // Traffic follows the news: bursty and unpredictable, so pay per request.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The schema module stays free of AWS imports; its view name is the CDK enum's key.
      stream: dynamodb.StreamViewType[TABLE_STREAM_VIEW],
      timeToLiveAttribute: TABLE_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.isProduction,
      removalPolicy: props.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    for (const index of GLOBAL_SECONDARY_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
