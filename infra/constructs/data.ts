import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../functions/store/table.ts';
import type { TableAction } from '../permissions.ts';

/**
 * The stateful core: the case table (encrypted with a customer-managed key, point-in-time recovery,
 * deletion protection, TTL as a retention backstop) and the two HMAC keys.
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly tableKey: kms.Key;
  /** HMAC_256 key for `HMAC(accessKey)`: a copy of the table is useless for testing codes without it. */
  readonly lookupKey: kms.Key;
  /** HMAC_256 key that signs proof-of-work challenges. */
  readonly powKey: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.tableKey = new kms.Key(this, 'TableKey', {
      description: 'Meldpunt: encrypts the case table at rest',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const hmac = (name: string, description: string) =>
      new kms.Key(this, name, {
        description,
        keySpec: kms.KeySpec.HMAC_256,
        keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
        // Rotating an HMAC key would orphan every stored lookup; KMS does not rotate HMAC keys anyway.
        enableKeyRotation: false,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.lookupKey = hmac('LookupKey', 'Meldpunt: HMAC of reporter access keys (case lookup)');
    this.powKey = hmac('PowKey', 'Meldpunt: signs proof-of-work challenges');

    this.table = new dynamodb.Table(this, 'Cases', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byChannel.name,
      partitionKey: { name: TABLE.byChannel.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.byChannel.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Table actions on the table itself, and on its indexes only when `indexes` is set. */
  grantTable(grantee: iam.IGrantable, actions: TableAction[], indexes: boolean): void {
    if (actions.length === 0) return;
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.table.tableArn, ...(indexes ? [`${this.table.tableArn}/index/${TABLE.byChannel.name}`] : [])],
    });
    this.tableKey.grantEncryptDecrypt(grantee);
  }

  grantLookupMac(grantee: iam.IGrantable): void {
    this.lookupKey.grant(grantee, 'kms:GenerateMac');
  }

  grantPowMac(grantee: iam.IGrantable): void {
    this.powKey.grant(grantee, 'kms:GenerateMac');
  }
}
