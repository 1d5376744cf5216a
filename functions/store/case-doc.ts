/**
 * The case document and the message document as the table stores them (JSON, validated on the
 * way out: our own table is an input too), and what the case item derives from its document.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import {
  armoredMessageSchema,
  armoredPrivateKeySchema,
  armoredPublicKeySchema,
  channelIdSchema,
  daySchema,
  fingerprintSchema,
} from '../../shared/schemas/primitives.ts';
import { authorSchema, caseStatusSchema, recipientSchema, threadSchema } from '../../shared/schemas/api.ts';
import { acknowledgeBy, feedbackBy } from '../../shared/wbk/deadlines.ts';

export const caseDocSchema = z.object({
  caseId: z.string(),
  channel: channelIdSchema,
  status: caseStatusSchema,
  escalated: z.boolean(),
  /** Escalation targets (ids) that received this case. */
  escalatedTo: z._default(z.array(z.string()), []),
  receivedOn: daySchema,
  acknowledgedOn: z.nullable(daySchema),
  closedOn: z.nullable(daySchema),
  /** The first day feedback was given (status feedback-given, or closed with an outcome): for the yearly report. */
  feedbackOn: z._default(z.nullable(daySchema), null),
  reporterPublicKey: armoredPublicKeySchema,
  reporterFingerprint: fingerprintSchema,
  lockedPrivateKey: armoredPrivateKeySchema,
  recipients: z.array(recipientSchema),
  /** Encryption key IDs every stored message on the case thread must be encrypted to, exactly. */
  recipientKeyIds: z.array(z.string()),
  /** SHA-256 of the submission, to tell a retry from a different report under the same code. */
  submissionDigest: z.string(),
  /** The report itself: the first message, stored in the same item so creation is one write. */
  first: armoredMessageSchema,
});
export type CaseDoc = z.infer<typeof caseDocSchema>;

export const messageDocSchema = z.object({
  author: authorSchema,
  day: daySchema,
  message: armoredMessageSchema,
  thread: z._default(threadSchema, 'case'),
});
export type MessageDoc = z.infer<typeof messageDocSchema>;

/**
 * What the readers of every thread of a case follow from: its channel (the officers, also of the
 * CLB thread and the internal notes), the conversation's key IDs and the escalation targets. Kept on
 * the case item as `rk`; a message or file checked against the readers of one state is stored only
 * while the case is still in it.
 */
export function readersKey(doc: Pick<CaseDoc, 'channel' | 'recipientKeyIds' | 'escalatedTo'>): string {
  return createHash('sha256')
    .update(JSON.stringify([doc.channel, [...doc.recipientKeyIds].sort(), [...doc.escalatedTo].sort()]))
    .digest('base64url')
    .slice(0, 22);
}

/** How `due` starts for a closed case: after every day, so closed cases sort last. */
export const CLOSED_DUE = '~closed';

/** The day the next legal deadline falls on, as the index sorts it; closed cases sort last. */
export function nextDue(doc: CaseDoc): string {
  if (doc.status === 'closed') return `${CLOSED_DUE} ${doc.closedOn ?? ''}`;
  if (doc.acknowledgedOn === null) return acknowledgeBy(doc.receivedOn);
  return feedbackBy(doc.acknowledgedOn);
}
