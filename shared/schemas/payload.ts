/**
 * The encrypted payloads of protocol v1. Every message on a case decrypts to exactly one of these,
 * discriminated on `kind`; the server never sees any of them.
 */
import * as z from 'zod/mini';
import { channelIdSchema, daySchema, fileIdSchema, fingerprintSchema, langSchema } from './primitives.ts';

const text = (max: number) => z.string().check(z.maxLength(max));

/**
 * Where a payload belongs. `case`: the case it was written for, named by the fingerprint of the case's reporter key: the one
 * name every reader knows (the server's case id is an HMAC the reporter's page cannot compute). A
 * reader that finds another case named treats the payload as NOT VERIFIED: the server copied it.
 * Optional so that payloads from before it was added still read, marked as unbound.
 */
/** A message's mark (shared/protocol/order.ts): SHA-256 of its encrypted data packet, 32 hex digits. */
const markSchema = z.string().check(z.regex(/^[0-9a-f]{32}$/));

const bound = {
  case: z.optional(fingerprintSchema),
  /** The mark of the message its author saw last on the thread: the thread's order, signed. */
  after: z.optional(markSchema),
};
/** Text of at most `max` characters and at least one. */
const required = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** Optional text, empty when left out. */
const optionalText = (max: number) => z._default(text(max), '');

export const categorySchema = z.enum(['misstand', 'integriteitsschending', 'onregelmatigheid', 'ongewenste-omgangsvormen']);
export type Category = z.infer<typeof categorySchema>;

/** Which rules apply: a misstand under the Wbk (public interest) or the party's own code. */
export const trackSchema = z.enum(['wbk', 'code']);

export const partyLevelSchema = z.enum(['afdeling', 'fractie', 'gewest', 'landelijk', 'anders', 'onbekend']);

export const attachmentSchema = z.object({
  name: text(200),
  type: text(100),
  /** base64 of the file's bytes */
  data: z.string(),
});

/** A meeting the reporter can ask for (Wbk / directive 2019/1937 art. 9: a meeting on request). */
export const meetingModeSchema = z.enum(['in-person', 'phone', 'video']);

/**
 * Who besides the channel's officers may read the report, as the reporter chose it:
 * - `none`: only the officer(s) of this channel;
 * - `without-contact`: the officer may pass the report itself to CLB, without contact details;
 * - `conversation`: CLB may also read along in the conversation, contact details included.
 * The officer tool never sends CLB more than this allows.
 */
export const clbConsentSchema = z.enum(['none', 'without-contact', 'conversation']);
export type ClbConsent = z.infer<typeof clbConsentSchema>;
export const CLB_CONSENT_ORDER: readonly ClbConsent[] = ['none', 'without-contact', 'conversation'];
/** The wider of two consents. */
export const widerConsent = (a: ClbConsent, b: ClbConsent): ClbConsent => (CLB_CONSENT_ORDER.indexOf(a) >= CLB_CONSENT_ORDER.indexOf(b) ? a : b);

export const consentSchema = z.union([
  z.strictObject({ clb: clbConsentSchema }),
  // Protocol v1 reports from before the three-way choice: an unticked box meant "CLB gets nothing".
  z.pipe(
    z.strictObject({ shareWithClb: z.boolean() }),
    z.transform(({ shareWithClb }: { shareWithClb: boolean }) => ({ clb: shareWithClb ? ('conversation' as const) : ('none' as const) })),
  ),
]);

/**
 * An evidence file, as the signed message that refers to it describes it. The file itself is a
 * separate OpenPGP message in object storage, sent after the message. What makes a swapped or cut
 * file show as not verified is its seal (`fileSealSchema`): signed by the same key as this message,
 * it names this file's id and size and the tree hash of its bytes. Files described before seals
 * carry their SHA-256 here instead.
 */
export const fileRefSchema = z.object({
  id: fileIdSchema,
  name: text(200),
  type: text(100),
  size: z.int().check(z.minimum(0)),
  /** Before seals: SHA-256 of the file's bytes as sent (after metadata removal), lower-case hex. */
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /** True when the reporter chose to keep the file's metadata. */
  metadataKept: z._default(z.boolean(), false),
});
/**
 * A file's seal: made by its sender once every byte is read, signed with the key that signed the
 * message naming the file, and encrypted with the file's own session key (docs/decisions/0006).
 */
export const fileSealSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('file-seal'),
  /** The case's reporter key fingerprint, as payloads name their case. */
  case: fingerprintSchema,
  file: fileIdSchema,
  size: z.int().check(z.minimum(0)),
  /** Bytes per chunk of the tree hash. */
  chunk: z.int().check(z.minimum(1)),
  /** SHA-256 over the SHA-256 of each chunk (`shared/protocol/tree-hash.ts`), lower-case hex. */
  tree: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type FileSeal = z.infer<typeof fileSealSchema>;
export type FileRef = z.infer<typeof fileRefSchema>;
const files = z._default(z.array(fileRefSchema).check(z.maxLength(50)), []);
const attachments = z._default(z.array(attachmentSchema).check(z.maxLength(10)), []);

export const reportPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('report'),
  lang: langSchema,
  channel: channelIdSchema,
  category: categorySchema,
  track: trackSchema,
  answers: z.object({
    what: required(20_000),
    when: optionalText(500),
    where: z.object({ level: partyLevelSchema, detail: optionalText(500) }),
    who: optionalText(2_000),
    witnesses: optionalText(2_000),
    evidence: optionalText(5_000),
    reportedBefore: optionalText(2_000),
    hopes: optionalText(5_000),
  }),
  /** Whether the reporter wants to talk, and how. */
  conversation: z.union([meetingModeSchema, z.literal('none')]),
  /** Times the reporter proposes for a meeting, in their own words. */
  meetingTimes: optionalText(1_000),
  /** Optional; empty means anonymous. Shown to the officer, passed to CLB only with consent. */
  contact: optionalText(1_000),
  consent: consentSchema,
  attachments,
  files,
  /** Binds the report to the key that signs it: the officer tool trusts later reporter messages only from this key. */
  reporterFingerprint: fingerprintSchema,
});
export type ReportPayload = z.infer<typeof reportPayloadSchema>;

export const reporterMessagePayloadSchema = z
  .object({ v: z.literal(1), kind: z.literal('reporter-message'), text: optionalText(20_000), attachments, files, ...bound })
  .check(z.refine((m) => m.text.trim() || m.files.length || m.attachments.length, { message: 'a message needs text or a file' }));

/** A payload that is one text written by a person, possibly with files. */
const textPayload = <K extends string>(kind: K) => z.object({ v: z.literal(1), kind: z.literal(kind), text: required(20_000), files, ...bound });

/** From an officer (or CLB, when it joined the case) to the reporter. */
export const replyPayloadSchema = textPayload('reply');

/** The officer's personal acknowledgement of receipt (Wbk: within 7 days). */
export const acknowledgementPayloadSchema = textPayload('acknowledgement');

/** What an investigation concluded, in the words of the yearly report. */
export const OUTCOME_RESULTS = ['founded', 'partly-founded', 'unfounded', 'resolved', 'referred', 'not-investigated', 'withdrawn'] as const;
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number];

/** The outcome the reporter may read when the case is closed, and (optionally) its conclusion in one word. */
export const outcomePayloadSchema = z.extend(textPayload('outcome'), { result: z.optional(z.enum(OUTCOME_RESULTS)) });

/** An officer-to-CLB escalation: the chosen parts of a case, re-encrypted to the CLB key. */
export const escalationPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('escalation'),
  caseId: z.string(),
  ...bound,
  note: optionalText(20_000),
  /** Present only when the reporter consented to share with CLB. */
  contact: z.optional(text(1_000)),
  messages: z.array(z.object({ author: z.string(), day: daySchema, payload: z.unknown() })),
  /** The files of those messages, re-encrypted to this thread's readers (new ids, same contents). */
  files,
});

/** A note between officer and CLB on an escalation thread. */
export const notePayloadSchema = textPayload('note');

/** The officer asks the reporter, in the conversation, for wider consent. */
export const consentRequestPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('consent-request'),
  ...bound,
  scope: z.enum(['without-contact', 'conversation']),
  text: required(20_000),
});

/** The reporter's own answer: consent counts only when this message is signed by the reporter's key. */
export const consentPayloadSchema = z.object({ v: z.literal(1), kind: z.literal('consent'), clb: clbConsentSchema, ...bound });

/** The reporter's signed "no" or "not now" to a request for wider consent: nothing is widened, and the officer sees the answer. */
export const consentAnswerPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('consent-answer'),
  answer: z.enum(['no', 'not-now']),
  /** What was asked. */
  scope: z.enum(['without-contact', 'conversation']),
  ...bound,
});

/** The reporter asks for a meeting later, and proposes times; the officer answers in the conversation. */
export const meetingRequestPayloadSchema = z.object({ v: z.literal(1), kind: z.literal('meeting-request'), mode: meetingModeSchema, times: optionalText(1_000), ...bound });

/**
 * A record the officer makes of an oral report or a meeting (minutes, or a transcript of a voice
 * message), for the reporter to check (directive 2019/1937 art. 18).
 */
export const recordPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('record'),
  ...bound,
  recordId: fileIdSchema,
  title: required(200),
  text: required(50_000),
  files,
});

/** The reporter's answer to a record: agreed, or corrections. Counts only when signed by the reporter. */
export const recordResponsePayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal('record-response'),
  ...bound,
  recordId: fileIdSchema,
  agreed: z.boolean(),
  corrections: optionalText(20_000),
});

/**
 * The officer asks whether the case may move to another channel (say, from a confidential adviser
 * to the integrity officer). Nothing moves without the reporter's signed `move-consent`.
 */
export const moveRequestPayloadSchema = z.object({ v: z.literal(1), kind: z.literal('move-request'), to: channelIdSchema, text: required(20_000), ...bound });

/**
 * The reporter agrees that the case moves to channel `to`: counts only when signed by the reporter's
 * key. `request` is the mark of the move request it answers, so the consent is for that one move.
 */
export const moveConsentPayloadSchema = z.object({ v: z.literal(1), kind: z.literal('move-consent'), to: channelIdSchema, request: z.optional(markSchema), ...bound });

/**
 * The officer who moved the case says so, signed, for the new readers: the move of the consent
 * whose mark is `consent`. Stored with the move itself, so a server that puts the case back in its
 * old channel is seen undoing a move (shared/client/channel.ts).
 */
export const movedPayloadSchema = z.object({ v: z.literal(1), kind: z.literal('moved'), to: channelIdSchema, consent: markSchema, ...bound });

export const payloadSchema = z.discriminatedUnion('kind', [
  reportPayloadSchema,
  reporterMessagePayloadSchema,
  replyPayloadSchema,
  acknowledgementPayloadSchema,
  outcomePayloadSchema,
  escalationPayloadSchema,
  notePayloadSchema,
  consentRequestPayloadSchema,
  consentPayloadSchema,
  consentAnswerPayloadSchema,
  meetingRequestPayloadSchema,
  recordPayloadSchema,
  recordResponsePayloadSchema,
  moveRequestPayloadSchema,
  moveConsentPayloadSchema,
  movedPayloadSchema,
]);
export type Payload = z.infer<typeof payloadSchema>;
/** A payload as written, before defaults are filled in. */
export type PayloadInput = z.input<typeof payloadSchema>;
