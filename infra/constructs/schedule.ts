import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface JobScheduleProps {
  job: lambda.IFunction;
  schedule: events.Schedule;
  description: string;
}

/**
 * Runs a scheduled function. A failed run is retried twice: both jobs may run again safely (the
 * daily job's deletions are repeatable and a repeated reminder is harmless; the notices job marks a
 * case announced only after its channel's mail went out).
 */
export class JobSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: JobScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: props.description,
      schedule: props.schedule,
      targets: [new targets.LambdaFunction(props.job, { retryAttempts: 2 })],
    });
  }
}

/** 06:00 UTC (07:00 or 08:00 in the Netherlands, before the working day): deadline reminders and the retention sweep. */
export const DAILY = events.Schedule.cron({ minute: '0', hour: '6' });

/** Every hour on the hour: a notice mail's time then says only in which hour something came in (functions/services/notices.ts). */
export const HOURLY = events.Schedule.cron({ minute: '0' });
