import { Arn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The sender address of every notice (`mail.from` in the config). */
  from: string;
}

/**
 * The SES sender identity. Notices carry no content (see functions/mail/mailer.ts); this construct
 * only decides who may send, and from which address.
 */
export class Mail extends Construct {
  readonly from: string;
  readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.from = props.from;
    this.identity = new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(props.from) });
  }

  /**
   * ses:SendEmail with the configured sender as From, and nothing else. The resource is every
   * identity of this account and region, not just the sender's: in the SES sandbox each recipient
   * is an identity that the call is authorized against too.
   */
  grantSend(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [Arn.format({ service: 'ses', resource: 'identity', resourceName: '*' }, Stack.of(this))],
        conditions: { StringEquals: { 'ses:FromAddress': this.from } },
      }),
    );
  }
}
