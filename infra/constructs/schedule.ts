import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface DailyScheduleProps {
  daily: lambda.IFunction;
  /** Hour of the run, in UTC. @default 6 (07:00 or 08:00 in the Netherlands, before the working day) */
  hourUtc?: number;
}

/** Runs the daily job (deadline reminders, retention sweep) once a day. */
export class DailySchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DailyScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Meldpunt daily: Wbk deadline reminders and retention sweep',
      schedule: events.Schedule.cron({ minute: '0', hour: String(props.hourUtc ?? 6) }),
      // A failed run is retried: deletions are repeatable, and a repeated reminder is harmless.
      targets: [new targets.LambdaFunction(props.daily, { retryAttempts: 2 })],
    });
  }
}
