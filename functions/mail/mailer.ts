/**
 * Notification mail. Fixed wording only: a mail says that something is waiting, never what, for
 * which case, or when it came in (DESIGN: notifications carry no content). What a reporter does is
 * announced on the hour (services/notices.ts), so not even the mail's own time says when.
 */
import type { SESClient } from '@aws-sdk/client-ses';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  /** Throws if the mail service refuses; callers decide whether that matters. */
  send(mail: Mail): Promise<void>;
}

/** Loads the SDK's SES module when called, not when this file is imported (functions/runtime.ts). */
export async function sesMailer(ses: SESClient, from: string): Promise<Mailer> {
  const { SendEmailCommand } = await import('@aws-sdk/client-ses');
  return {
    async send(mail) {
      await ses.send(
        new SendEmailCommand({
          Source: from,
          Destination: { ToAddresses: mail.to },
          Message: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } },
        }),
      );
    },
  };
}

/** The only texts the system mails. */
export const NOTICES = {
  waiting: {
    subject: 'Meldpunt: er staat iets voor u klaar / something is waiting',
    text: 'In het afgelopen uur is er iets binnengekomen op een kanaal dat u behandelt: een nieuwe melding of een bericht van een melder. Open de Meldpunt-tool om het te lezen.\n\nSomething came in during the past hour on a channel you handle: a new report or a message from a reporter. Open the Meldpunt tool to read it.\n',
  },
  escalation: {
    subject: 'Meldpunt: er staat iets voor u klaar / something is waiting',
    text: 'Er is een zaak aan u doorgestuurd. Open de Meldpunt-tool met uw sleutel om haar te lezen.\n\nA case was passed on to you. Open the Meldpunt tool with your key to read it.\n',
  },
  moved: {
    subject: 'Meldpunt: er staat iets voor u klaar / something is waiting',
    text: 'Een zaak is met instemming van de melder naar een kanaal verplaatst dat u behandelt. Open de Meldpunt-tool om haar te lezen.\n\nWith the reporter\'s consent, a case was moved to a channel you handle. Open the Meldpunt tool to read it.\n',
  },
  escalationMessage: {
    subject: 'Meldpunt: er staat iets voor u klaar / something is waiting',
    text: 'Er is een nieuw bericht over een doorgestuurde zaak. Open de Meldpunt-tool om het te lezen.\n\nThere is a new message about a case that was passed on. Open the Meldpunt tool to read it.\n',
  },
  retention: {
    subject: 'Meldpunt: een afgesloten zaak wordt binnenkort verwijderd / a closed case will soon be deleted',
    text: 'Een of meer afgesloten zaken in uw kanaal worden binnenkort automatisch verwijderd. Exporteer ze eerst naar het register als dat nodig is. Open de Meldpunt-tool (opdracht: cases, daarna export).\n\nOne or more closed cases in your channel will soon be deleted automatically. Export them to the register first if they belong there. Open the Meldpunt tool (command: cases, then export).\n',
  },
  deadlines: {
    subject: 'Meldpunt: een termijn vraagt uw aandacht / a deadline needs attention',
    text: 'Bij een of meer zaken in uw kanaal nadert een wettelijke termijn of is die verstreken. Open de Meldpunt-tool (opdracht: cases).\n\nOne or more cases in your channel have a legal deadline coming up or passed. Open the Meldpunt tool (command: cases).\n',
  },
} as const;
