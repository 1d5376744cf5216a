import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../functions/store/table.ts';
import type { TableAction } from '../permissions.ts';

export interface DataProps {
  /**
   * Days of point-in-time recovery. A deleted case stays restorable this long, so it is also how
   * long "deleted" lags behind the retention period.
   * @default 35 (the most DynamoDB keeps)
   */
  recoveryDays?: number;
}

/** What DynamoDB asks of the caller's role on a customer-managed table key (as the CDK's own table grants). */
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = [...KEY_READ, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const TABLE_READS: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];

/**
 * The stateful core: the case table (encrypted with a customer-managed key, point-in-time recovery,
 * deletion protection, TTL as a retention backstop) and the two HMAC keys. Everything is retained
 * when the stack is deleted.
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly tableKey: kms.Key;
  /** HMAC_256 key for `HMAC(accessKey)`: a copy of the table is useless for testing codes without it. */
  readonly lookupKey: kms.Key;
  /** HMAC_256 key that signs the stateless proof-of-work challenges. */
  readonly powKey: kms.Key;
  /** ECC_NIST_P256 signing key for proofs of reporting (checked offline with openssl). */
  readonly proofKey: kms.Key;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
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
        // KMS cannot rotate HMAC keys, and a new lookup key would orphan every stored case.
        enableKeyRotation: false,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.lookupKey = hmac('LookupKey', 'Meldpunt: HMAC of reporter access keys (case lookup)');
    this.powKey = hmac('PowKey', 'Meldpunt: signs proof-of-work challenges');
    this.proofKey = new kms.Key(this, 'ProofKey', {
      description: 'Meldpunt: signs proofs of reporting (bewijs van melding)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // KMS cannot rotate asymmetric keys, and proofs already given must keep verifying.
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Cases', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: props.recoveryDays ?? 35 },
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

  /**
   * Exactly `items` on the table's own items, dynamodb:Query on the `byChannel` index only when
   * `listByChannel`, and the table key for DynamoDB's use on the grantee's behalf only
   * (`kms:ViaService`): the role cannot call KMS with that key directly.
   */
  grantTable(grantee: iam.IGrantable, access: { items: readonly TableAction[]; listByChannel: boolean }): void {
    if (access.items.length > 0) {
      iam.Grant.addToPrincipal({ grantee, actions: [...access.items], resourceArns: [this.table.tableArn] });
    }
    if (access.listByChannel) {
      iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [`${this.table.tableArn}/index/${TABLE.byChannel.name}`] });
    }
    if (access.items.length === 0 && !access.listByChannel) return;
    const writes = access.items.some((a) => !TABLE_READS.includes(a));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: writes ? KEY_WRITE : KEY_READ,
        resources: [this.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  grantLookupMac(grantee: iam.IGrantable): void {
    this.lookupKey.grant(grantee, 'kms:GenerateMac');
  }

  grantPowMac(grantee: iam.IGrantable): void {
    this.powKey.grant(grantee, 'kms:GenerateMac');
  }

  grantProof(grantee: iam.IGrantable, access: 'none' | 'sign' | 'public-key'): void {
    if (access !== 'none') this.proofKey.grant(grantee, access === 'sign' ? 'kms:Sign' : 'kms:GetPublicKey');
  }
}
