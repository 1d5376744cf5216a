/**
 * cdk-nag AwsSolutions: every finding this app accepts, on the narrowest construct it arises
 * from, with the reason it is accepted. Anything not listed here fails synth.
 */
import { Stack, Token, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StatefulStack, StatelessStack } from './stacks.ts';

export interface Acknowledged {
  scope: IConstruct;
  rules: string[];
  reason: string;
}

const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;
const LAMBDA_BASIC_ROLE = rule('IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');

/** The BucketDeployment's function: a singleton the CDK puts at the root of the stack. */
function bucketDeploymentHandler(stack: Stack): IConstruct {
  const found = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!found) throw new Error('the BucketDeployment handler was not found');
  return found;
}

export function acknowledgements(stateful: StatefulStack, stateless: StatelessStack): Acknowledged[] {
  const { functions, api, web } = stateless;
  const region = Token.isUnresolved(stateless.region) ? '<AWS::Region>' : stateless.region;
  const siteBucket = stateless.getLogicalId(web.bucket.node.defaultChild as CfnResource);
  const customDomain = web.customDomain;
  // How cdk-nag names the bucket ARN the stateless stack imports from the stateful one.
  const evidenceExport = (stateless.resolve(stateful.exportValue(stateful.evidence.bucket.bucketArn)) as { 'Fn::ImportValue': string })['Fn::ImportValue'];
  return [
    {
      scope: stateful.data.lookupKey,
      rules: [rule('KMS5')],
      reason: 'KMS cannot rotate HMAC keys, and a new lookup key would orphan every stored case. (The table key rotates yearly.)',
    },
    {
      scope: stateful.data.powKey,
      rules: [rule('KMS5')],
      reason: 'KMS cannot rotate HMAC keys. Proof-of-work tokens live minutes, so replacing this key by hand is harmless if ever needed.',
    },
    {
      scope: stateful.data.proofKey,
      rules: [rule('KMS5')],
      reason: 'KMS cannot rotate asymmetric keys, and every proof of reporting already given must keep verifying against this public key.',
    },
    {
      scope: functions,
      rules: [rule('L1')],
      reason: 'Node.js 22 is the runtime the handlers are built and tested for (the issue fixes it); move on deliberately, not by default.',
    },
    {
      scope: functions,
      rules: [rule('IAM5[Action::kms:ReEncrypt*]'), rule('IAM5[Action::kms:GenerateDataKey*]')],
      reason: 'What DynamoDB asks of the caller on a customer-managed table key (as the CDK table grants), on that one key, and only via DynamoDB (kms:ViaService).',
    },
    {
      scope: functions,
      rules: [rule(`IAM5[Resource::arn:<AWS::Partition>:ses:${region}:<AWS::AccountId>:identity/*]`)],
      reason: 'In the SES sandbox every recipient is an identity the call is checked against; the statement is conditioned on the configured sender (ses:FromAddress).',
    },
    {
      scope: api,
      rules: [rule('APIG1')],
      reason: "API access logging is off on purpose: API Gateway's access log would hold reporters' IP addresses (design promise 4).",
    },
    {
      scope: api,
      rules: [rule('APIG4')],
      reason:
        'Reporters are anonymous by design: their routes are gated by a proof of work and the access key inside the function. Officer routes verify an OpenPGP request signature in the function.',
    },
    { scope: web.distribution, rules: [rule('CFR1')], reason: 'No geo restriction: reporters may write from anywhere, Tor exits included.' },
    {
      scope: web.distribution,
      rules: [rule('CFR2')],
      reason: 'No WAF: its rules work on client IP addresses, which we refuse to process; abuse is limited by proof of work and API throttling.',
    },
    {
      scope: web.distribution,
      rules: [rule('CFR3')],
      reason: "CloudFront access logging is off on purpose: the log would hold reporters' IP addresses and user agents.",
    },
    ...(customDomain
      ? []
      : [
          {
            scope: web.distribution,
            rules: [rule('CFR4')],
            reason: 'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set. With config.domain and a certificate, TLSv1.2_2021 applies.',
          },
        ]),
    {
      scope: stateful.evidence.bucket,
      rules: [rule('S1')],
      reason: 'S3 server access logs would record who uploaded and fetched evidence, with client addresses (design promise 4); the objects are OpenPGP ciphertext reached only by presigned URLs the API hands out.',
    },
    {
      scope: functions,
      rules: [rule(`IAM5[Resource::${evidenceExport}/files/*]`)],
      reason: 'Encrypted evidence files, one object per file under files/<case>/<file>: the functions need every object under that prefix, and nothing else in the bucket.',
    },
    {
      scope: web.bucket,
      rules: [rule('S1')],
      reason: 'S3 server access logs would record requests with client addresses; the bucket holds only the public web app, read by CloudFront alone.',
    },
    {
      scope: bucketDeploymentHandler(stateless),
      rules: [
        LAMBDA_BASIC_ROLE,
        rule('L1'),
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((a) => rule(`IAM5[Action::${a}]`)),
        rule(`IAM5[Resource::<${siteBucket}.Arn>/*]`),
        rule(`IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`),
        rule('IAM5[Resource::*]'),
      ],
      reason:
        "The CDK's BucketDeployment function (its runtime chosen by the CDK) copies the built web app from the CDK asset bucket into the site bucket (the S3 wildcards are those two buckets' objects) and invalidates the page and channels.json (cloudfront:CreateInvalidation, which the CDK grants on *).",
    },
  ];
}

export function acknowledgeFindings(stateful: StatefulStack, stateless: StatelessStack): void {
  for (const { scope, rules, reason } of acknowledgements(stateful, stateless)) {
    Validations.of(scope).acknowledge(...rules.map((id) => ({ id, reason })));
  }
}
