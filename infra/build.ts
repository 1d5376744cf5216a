/** Builds the CDK app from a config: `app.ts` runs it, the tests synthesize it. */
import { Annotations, App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '../shared/config/schema.ts';
import { acknowledgeFindings } from './nag.ts';
import { StatefulStack, StatelessStack } from './stacks.ts';

const STRONG_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface BuildOptions {
  config: Config;
  /** What the functions need of each configured key (`keyFactsOf`), as JSON, compiled in beside it. */
  keyFactsJson: string;
  /** The built web app directory. */
  webDist: string;
  /** ACM certificate in us-east-1 for `config.domain`. @default none: served on the cloudfront.net name */
  certificateArn?: string;
  /** What SES verifies for the sender (see `MailProps.verify`). @default 'address' */
  verifySender?: 'address' | 'domain';
  app?: App;
  env?: { account?: string; region?: string };
}

export function buildApp(options: BuildOptions): { app: App; stateful: StatefulStack; stateless: StatelessStack } {
  const app = options.app ?? new App();
  // Stateless resources import the table and keys through CloudFormation exports, which keep the
  // stateful stack from replacing or deleting what the other stack still uses. (Also in cdk.json.)
  if (app.node.tryGetContext(STRONG_REFERENCES) === undefined) app.node.setContext(STRONG_REFERENCES, 'strong');
  const stateful = new StatefulStack(app, 'Meldpunt-Data', { env: options.env, description: 'Meldpunt: case table, evidence bucket and keys (retained)' });
  const stateless = new StatelessStack(app, 'Meldpunt-App', {
    env: options.env,
    description: 'Meldpunt: functions, API, web app, mail, schedule',
    data: stateful.data,
    evidence: stateful.evidence,
    config: options.config,
    keyFactsJson: options.keyFactsJson,
    webDist: options.webDist,
    certificateArn: options.certificateArn,
    verifySender: options.verifySender,
  });
  if (options.config.domain && !options.certificateArn) {
    Annotations.of(stateless).addWarningV2(
      'meldpunt:domain-without-certificate',
      `config.domain is ${options.config.domain}, but no certificate was given (-c certificateArn=...): serving on the cloudfront.net name only.`,
    );
  }
  if (options.certificateArn && !options.config.domain) throw new Error('A certificate was given but config.domain is not set.');
  Tags.of(app).add('app', 'meldpunt');
  acknowledgeFindings(stateful, stateless);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
}
