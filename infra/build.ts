/** Builds the CDK app from a config; `app.ts` runs it, and the tests synthesize it. */
import { App, Tags, Token, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '../shared/config/schema.ts';
import { StatefulStack, StatelessStack } from './stacks.ts';

export interface BuildOptions {
  config: Config;
  configJson: string;
  webDist: string;
  app?: App;
  env?: { account?: string; region?: string };
}

/** Every accepted cdk-nag finding, with the reason it is accepted. */
const STATELESS_SUPPRESSIONS = [
  {
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'Functions use AWSLambdaBasicExecutionRole only to write their own log groups; it grants nothing on data.',
  },
  ...['kms:ReEncrypt*', 'kms:GenerateDataKey*'].map((action) => ({
    id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
    reason: 'What DynamoDB needs on the table\'s own customer-managed key (the CDK key grant); scoped to that one key.',
  })),
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'ses:SendEmail takes no resource narrower than an identity, and is conditioned on the configured sender address.',
  },
  ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
    id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
    reason: 'The CDK BucketDeployment custom resource copies the built web app into the site bucket and the CDK asset bucket only.',
  })),
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<WebSiteD504717C.Arn>/*]',
    reason: 'The BucketDeployment writes objects into the site bucket: the wildcard is that bucket\'s objects.',
  },
  { id: 'AwsSolutions::AwsSolutions-L1', reason: 'Node.js 22 is the runtime the handlers are built and tested for; the CDK-managed custom resources pick their own.' },
  {
    id: 'AwsSolutions-APIG1',
    reason: 'API access logging is deliberately off: API Gateway access logs would hold reporters\' IP addresses (design promise 4).',
  },
  {
    id: 'AwsSolutions-APIG4',
    reason: 'Reporters are anonymous by design (the access key and a proof of work are checked in the function); officer routes verify an OpenPGP request signature in the function.',
  },
  { id: 'AwsSolutions::AwsSolutions-CFR1', reason: 'No geo restriction: reporters may write from anywhere, Tor exits included.' },
  { id: 'AwsSolutions::AwsSolutions-CFR2', reason: 'No WAF: IP-based rules would need IP processing we refuse; abuse is limited by proof of work and API throttling.' },
  { id: 'AwsSolutions::AwsSolutions-CFR3', reason: 'CloudFront access logging is deliberately off: the logs would hold reporters\' IP addresses and user agents.' },
  {
    id: 'AwsSolutions-CFR4',
    reason: 'Without a custom domain CloudFront serves its default certificate, where the TLS policy cannot be pinned; with a domain, TLSv1.2_2021 applies.',
  },
  { id: 'AwsSolutions::AwsSolutions-S1', reason: 'S3 server access logs would record requests for the site, with client addresses; the bucket holds only the public web app.' },
];

const STATEFUL_SUPPRESSIONS = [
  { id: 'AwsSolutions::AwsSolutions-KMS5', reason: 'HMAC keys cannot rotate in KMS, and rotating the lookup key would orphan every case; the table key rotates yearly.' },
];

export function buildApp(options: BuildOptions): { app: App; stateful: StatefulStack; stateless: StatelessStack } {
  const app = options.app ?? new App();
  const stateful = new StatefulStack(app, 'Meldpunt-Data', { env: options.env, description: 'Meldpunt: case table and keys (retained)' });
  const stateless = new StatelessStack(app, 'Meldpunt-App', {
    env: options.env,
    description: 'Meldpunt: functions, API, web app',
    data: stateful.data,
    config: options.config,
    configJson: options.configJson,
    webDist: options.webDist,
  });
  Tags.of(app).add('app', 'meldpunt');
  const region = Token.isUnresolved(stateless.region) ? '<AWS::Region>' : stateless.region;
  const assets = {
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
    reason: 'The BucketDeployment reads the web app asset from the CDK bootstrap bucket.',
  };
  for (const ack of [...STATELESS_SUPPRESSIONS, assets]) Validations.of(stateless).acknowledge(ack);
  for (const ack of STATEFUL_SUPPRESSIONS) Validations.of(stateful).acknowledge(ack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
}
