import { Arn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The sender address of every notice (`mail.from` in the config). */
  from: string;
  /**
   * What SES verifies. `address`: SES mails a link to the sender address; quick, but the mail is
   * DKIM-signed for amazonses.com, so a sender domain with a strict DMARC policy will see it
   * rejected or filed as spam. `domain`: the sender's whole domain with Easy DKIM; the operator
   * adds the three CNAME records the stack outputs, and the notices align with DMARC.
   * @default 'address'
   */
  verify?: 'address' | 'domain';
}

/**
 * The SES sender identity. Notices carry no content (functions/mail/mailer.ts); this construct
 * decides who may send, and from which address.
 */
export class Mail extends Construct {
  readonly from: string;
  readonly identity: ses.EmailIdentity;
  /** The DNS records that verify a `domain` identity; empty for an `address`. */
  readonly dkimRecords: ses.DkimRecord[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.from = props.from;
    const domain = props.from.slice(props.from.lastIndexOf('@') + 1);
    const byDomain = props.verify === 'domain';
    this.identity = new ses.EmailIdentity(this, 'Sender', {
      identity: byDomain ? ses.Identity.domain(domain) : ses.Identity.email(props.from),
    });
    this.dkimRecords = byDomain ? this.identity.dkimRecords : [];
  }

  /**
   * ses:SendEmail with the configured sender as From, and nothing else. The resource is every
   * identity of this account and region, not only the sender's: in the SES sandbox each recipient
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
