import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Runs the daily job (deadline reminders, retention sweep) at 06:00 UTC. */
export class DailySchedule extends Construct {
  constructor(scope: Construct, id: string, props: { daily: lambda.IFunction }) {
    super(scope, id);
    new events.Rule(this, 'Rule', {
      description: 'Meldpunt daily: Wbk deadline reminders and retention sweep',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [new targets.LambdaFunction(props.daily, { retryAttempts: 2 })],
    });
  }
}
