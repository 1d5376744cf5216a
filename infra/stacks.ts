/** The two stacks: stateful parts (kept across deploys, retained on delete) apart from the rest. The stacks only wire. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { publicChannels, type Config } from '../shared/config/schema.ts';
import { Api } from './constructs/api.ts';
import { Data } from './constructs/data.ts';
import { Functions } from './constructs/functions.ts';
import { DailySchedule } from './constructs/schedule.ts';
import { Web } from './constructs/web.ts';

export class StatefulStack extends Stack {
  readonly data: Data;
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new Data(this, 'Data');
  }
}

export interface StatelessProps extends StackProps {
  data: Data;
  config: Config;
  configJson: string;
  webDist: string;
}

export class StatelessStack extends Stack {
  readonly functions: Functions;
  readonly api: Api;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: StatelessProps) {
    super(scope, id, props);
    new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(props.config.mail.from) });
    this.functions = new Functions(this, 'Functions', { data: props.data, configJson: props.configJson, mailFrom: props.config.mail.from });
    this.api = new Api(this, 'Api', { functions: this.functions });
    this.web = new Web(this, 'Web', { api: this.api.httpApi, webDist: props.webDist, channels: publicChannels(props.config) });
    new DailySchedule(this, 'Daily', { daily: this.functions.byName.daily });
  }
}
