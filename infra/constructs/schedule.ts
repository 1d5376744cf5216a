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

export interface NoticeScheduleProps {
  notices: lambda.IFunction;
}

/**
 * Runs the notices job every hour on the hour (functions/services/notices.ts): a mail's time then
 * says only in which hour something came in, and the same for every report that hour.
 */
export class NoticeSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: NoticeScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Meldpunt notices: tell officers, once an hour, that something is waiting',
      schedule: events.Schedule.cron({ minute: '0' }),
      // A failed run is retried: a case is marked announced only after its channel's mail went out.
      targets: [new targets.LambdaFunction(props.notices, { retryAttempts: 2 })],
    });
  }
}
