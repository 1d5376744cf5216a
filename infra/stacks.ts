/**
 * The two stacks. Stateful parts (table, keys) live apart from the rest and are retained when their
 * stack is deleted; the stateless stack can be torn down and redeployed at will. Stacks only wire.
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { paperText, publicChannels, type Config } from '../shared/config/schema.ts';
import { Api } from './constructs/api.ts';
import { Data } from './constructs/data.ts';
import { Evidence } from './constructs/evidence.ts';
import { Functions } from './constructs/functions.ts';
import { Mail } from './constructs/mail.ts';
import { DAILY, HOURLY, JobSchedule } from './constructs/schedule.ts';
import { Web } from './constructs/web.ts';

export class StatefulStack extends Stack {
  readonly data: Data;
  readonly evidence: Evidence;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new Data(this, 'Data');
    this.evidence = new Evidence(this, 'Evidence');
    new CfnOutput(this, 'FilesBucket', { value: this.evidence.bucket.bucketName });
    // For restores by hand (docs/deploy.md, backups and restore).
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'TableKeyArn', { value: this.data.tableKey.keyArn });
  }
}

export interface StatelessProps extends StackProps {
  data: Data;
  evidence: Evidence;
  config: Config;
  /** The configured keys' facts (shared/config/key-facts.ts), compiled in beside the config. */
  keyFactsJson: string;
  /** The built web app. */
  webDist: string;
  /** ACM certificate (us-east-1) for `config.domain`. @default no custom domain */
  certificateArn?: string;
  /** What SES verifies for `config.mail.from` (see `MailProps.verify`). @default 'address' */
  verifySender?: 'address' | 'domain';
}

export class StatelessStack extends Stack {
  readonly mail: Mail;
  readonly functions: Functions;
  readonly api: Api;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: StatelessProps) {
    super(scope, id, props);
    const { config } = props;
    this.mail = new Mail(this, 'Mail', { from: config.mail.from, verify: props.verifySender });
    this.functions = new Functions(this, 'Functions', { data: props.data, evidence: props.evidence, mail: this.mail, configJson: JSON.stringify(config), keyFactsJson: props.keyFactsJson });
    this.api = new Api(this, 'Api', { functions: this.functions.byName });
    this.web = new Web(this, 'Web', {
      api: this.api.httpApi,
      webDist: props.webDist,
      files: props.evidence.bucket,
      channels: publicChannels(config),
      paperText: paperText(config),
      domain: config.domain && props.certificateArn ? { name: config.domain, certificateArn: props.certificateArn } : undefined,
    });
    new JobSchedule(this, 'Daily', { job: this.functions.byName.daily, schedule: DAILY, description: 'Meldpunt daily: Wbk deadline reminders and retention sweep' });
    new JobSchedule(this, 'Notices', { job: this.functions.byName.notices, schedule: HOURLY, description: 'Meldpunt notices: tell officers, once an hour, that something is waiting' });
    new CfnOutput(this, 'Url', { value: this.web.url, description: 'The drop box: for reporters, and MELDPUNT_API for the officer tool' });
    new CfnOutput(this, 'DistributionDomain', { value: this.web.distribution.distributionDomainName, description: 'Point the DNS of config.domain here' });
    this.mail.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `SenderDkim${i + 1}`, { value: Fn.join(' CNAME ', [record.name, record.value]), description: 'Add to the DNS of the sender domain' });
    });
  }
}
