/** Requests and responses of the signed officer/CLB API. */
import * as z from 'zod/mini';
import { armoredMessageSchema, armoredPublicKeySchema, channelIdSchema, daySchema } from './primitives.ts';
import { authorSchema, caseStatusSchema, fileDeclarationSchema, fileStateSchema, recipientSchema, threadSchema } from './api.ts';

const lastMessageSchema = z.nullable(z.object({ author: authorSchema, day: daySchema }));

/** Counts and latest authors per thread: metadata the server has anyway. */
export const activitySchema = z.object({
  /** On the reporter's conversation, the report included. */
  caseMessages: z.int().check(z.minimum(1)),
  escalationMessages: z.int().check(z.minimum(0)),
  lastOnCase: lastMessageSchema,
  lastOnEscalation: lastMessageSchema,
});
export type Activity = z.infer<typeof activitySchema>;

export const caseSummarySchema = z.object({
  caseId: z.string(),
  channel: channelIdSchema,
  status: caseStatusSchema,
  escalated: z.boolean(),
  escalatedTo: z.array(z.string()),
  receivedOn: daySchema,
  acknowledgedOn: z.nullable(daySchema),
  closedOn: z.nullable(daySchema),
  /** The first day feedback was given (feedback-given, or closed). */
  feedbackOn: z._default(z.nullable(daySchema), null),
  acknowledgeBy: daySchema,
  feedbackBy: z.nullable(daySchema),
  /** For a closed case, the last day it is kept before the daily job deletes it. */
  deleteAfter: z._default(z.nullable(daySchema), null),
  /** The next legal deadline, null when closed. */
  nextDeadline: z.nullable(daySchema),
  overdue: z.boolean(),
  activity: activitySchema,
  /** The other side wrote last: for an officer the reporter (or CLB), for CLB an officer. */
  awaitingYou: z.boolean(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseListSchema = z.object({ cases: z.array(caseSummarySchema) });

export const officerMessageSchema = z.object({
  id: z.string(),
  author: authorSchema,
  day: daySchema,
  thread: threadSchema,
  message: armoredMessageSchema,
});
export type OfficerMessage = z.infer<typeof officerMessageSchema>;

export const officerCaseSchema = z.object({
  summary: caseSummarySchema,
  reporterPublicKey: armoredPublicKeySchema,
  recipients: z.array(recipientSchema),
  messages: z.array(officerMessageSchema),
  files: z._default(z.array(z.extend(fileStateSchema, { thread: threadSchema })), []),
});
export type OfficerCase = z.infer<typeof officerCaseSchema>;

/** Many cases in one request (the desk lists hundreds): at most 100 ids. */
export const readCasesSchema = z.strictObject({ caseIds: z.array(z.string().check(z.regex(/^[0-9A-Z]{16}$/))).check(z.minLength(1), z.maxLength(100)) });
/** The cases that fit in one response; `more`: the ids left for another request. Unknown or unreachable ids are left out. */
export const casesReadSchema = z.object({ cases: z.array(officerCaseSchema), more: z.array(z.string()) });

/**
 * What the desk needs to title a case, for many cases in one cheap read: the summary, the readers
 * and the report itself (null when this key does not read the reporter's conversation).
 */
export const caseHeadSchema = z.object({
  summary: caseSummarySchema,
  reporterPublicKey: armoredPublicKeySchema,
  recipients: z.array(recipientSchema),
  report: z.nullable(armoredMessageSchema),
});
export type CaseHead = z.infer<typeof caseHeadSchema>;
/** As many heads as fit in one response; `more`: the ids left for another request. */
export const caseHeadsSchema = z.object({ heads: z.array(caseHeadSchema), more: z.array(z.string()) });

const declarations = z._default(z.array(fileDeclarationSchema).check(z.maxLength(50)), []);
export const postOfficerMessageSchema = z.strictObject({ thread: threadSchema, message: armoredMessageSchema, files: declarations });
export const acknowledgeSchema = z.strictObject({ message: z.optional(armoredMessageSchema) });
export const setStatusSchema = z
  .strictObject({ status: z.enum(['in-progress', 'feedback-given', 'closed']), message: z.optional(armoredMessageSchema) })
  .check(z.refine((r) => r.status !== 'closed' || r.message, { message: 'closing needs an outcome message the reporter can read', path: ['message'] }));
export const escalateSchema = z.strictObject({
  target: channelIdSchema,
  /** With the reporter's consent, the target's key joins the case's readers. */
  joinCase: z.boolean(),
  /** The escalation bundle, on the officer↔target thread. */
  message: armoredMessageSchema,
  /** Files the bundle carries, re-encrypted for the thread; uploaded after this request. */
  files: declarations,
});

/** base64url of the session key packets (PKESK) that replace a stored message's or file's, for the new readers. */
const headerSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'a header is base64url'), z.maxLength(8_000));

/**
 * Moves a case to another channel, after the reporter agreed. Only the session keys are
 * re-encrypted: for every stored message and file on the conversation and the officer↔CLB thread,
 * new session key packets for the new readers. The server puts them before the encrypted data it
 * already holds, so nothing the reporter wrote or signed can change. Internal notes stay with the
 * old channel's officers: they are deleted.
 */
export const moveCaseSchema = z.strictObject({
  to: channelIdSchema,
  messages: z.array(z.strictObject({ id: z.string().check(z.regex(/^\d{1,6}$/)), header: headerSchema })).check(z.maxLength(2_000)),
  files: z.array(z.strictObject({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)), header: headerSchema })).check(z.maxLength(2_000)),
  /** The moving officer's signed `moved` payload for the new readers, stored with the move. */
  notice: z.optional(armoredMessageSchema),
});
export type MoveCase = z.infer<typeof moveCaseSchema>;
