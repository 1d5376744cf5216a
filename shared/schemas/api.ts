/** Requests and responses of the reporter API (protocol v1). Browser, functions and tests share them. */
import * as z from 'zod/mini';
import {
  accessKeySchema,
  armoredMessageSchema,
  armoredPrivateKeySchema,
  armoredPublicKeySchema,
  channelIdSchema,
  daySchema,
  fileIdSchema,
  fingerprintSchema,
} from './primitives.ts';

export const challengeRequestSchema = z.strictObject({ purpose: z.enum(['submit', 'open']) });
export type ChallengeRequest = z.infer<typeof challengeRequestSchema>;

export const challengeSchema = z.object({
  token: z.string().check(z.maxLength(300)),
  difficulty: z.int().check(z.minimum(0), z.maximum(32)),
  expiresAt: z.string(),
});
export type Challenge = z.infer<typeof challengeSchema>;

/** A solved challenge: `SHA-256(token ":" accessKey ":" nonce)` has `difficulty` leading zero bits. */
export const powSchema = z.strictObject({ token: z.string().check(z.maxLength(300)), nonce: z.string().check(z.maxLength(400)) });

/** A file the message refers to, declared so that it may be uploaded: its id and the size of the original. */
export const fileDeclarationSchema = z.strictObject({ id: fileIdSchema, size: z.int().check(z.minimum(0)) });
const declarations = z._default(z.array(fileDeclarationSchema).check(z.maxLength(50)), []);

export const submitRequestSchema = z.strictObject({
  v: z.literal(1),
  accessKey: accessKeySchema,
  channel: channelIdSchema,
  reporterPublicKey: armoredPublicKeySchema,
  lockedPrivateKey: armoredPrivateKeySchema,
  message: armoredMessageSchema,
  pow: powSchema,
  files: declarations,
});
export type SubmitRequest = z.input<typeof submitRequestSchema>;

export const receiptSchema = z.object({
  status: z.literal('received'),
  receivedOn: daySchema,
  acknowledgeBy: daySchema,
  /** The service's signed statement that this report was received on `receivedOn` (shared/protocol/proof.ts). */
  proof: z.object({ statement: z.string().check(z.maxLength(1000)), signature: z.string().check(z.maxLength(200)) }),
});

export const proofKeySchema = z.object({ publicKey: z.string().check(z.startsWith('-----BEGIN PUBLIC KEY-----')) });
export type Receipt = z.infer<typeof receiptSchema>;

export const openCaseRequestSchema = z.strictObject({ accessKey: accessKeySchema, pow: powSchema });
export type OpenCaseRequest = z.infer<typeof openCaseRequestSchema>;

/** Made by the client, once per message: a retried send with the same id is stored once. */
export const messageIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,43}$/, 'a message id is 16 to 43 base64url characters'));

export const postMessageRequestSchema = z.strictObject({
  accessKey: accessKeySchema,
  pow: powSchema,
  messageId: messageIdSchema,
  message: armoredMessageSchema,
  files: declarations,
});
export type PostMessageRequest = z.infer<typeof postMessageRequestSchema>;

/** A seal is about 500 bytes; room for a larger signature, not for a document. */
const MAX_SEAL_CHARS = 4_000;

const partsSchema = z
  .array(z.strictObject({ partNumber: z.int().check(z.minimum(1), z.maximum(10_000)), etag: z.string().check(z.minLength(1), z.maxLength(200)) }))
  .check(z.minLength(1), z.maxLength(10_000));

/** Reporter file requests: prove the case, name the file. */
export const fileRequestSchema = z.strictObject({ accessKey: accessKeySchema, pow: powSchema, fileId: fileIdSchema });
/**
 * A file's seal (shared/client/files.ts), base64url: one SEIPD packet encrypted with the file's own
 * session key. The server only checks its shape; its readers open and check it.
 */
export const sealSchema = z.string().check(z.maxLength(MAX_SEAL_CHARS), z.regex(/^[A-Za-z0-9_-]+$/));
export const finishUploadRequestSchema = z.strictObject({ accessKey: accessKeySchema, pow: powSchema, fileId: fileIdSchema, parts: partsSchema, seal: z.optional(sealSchema) });
/** Officer file requests carry the case and file in the path. */
export const officerFinishUploadSchema = z.strictObject({ parts: partsSchema, seal: z.optional(sealSchema) });

export const uploadStartedSchema = z.object({ partBytes: z.int().check(z.minimum(1)), urls: z.array(z.string().check(z.startsWith('/files/'))).check(z.minLength(1)) });
export const uploadFinishedSchema = z.object({ bytes: z.int().check(z.minimum(0)) });
/**
 * Where to download a file. After a case moved to another channel, `header` (base64 session key
 * packets for the new readers) replaces the first `skip` bytes of the stored object.
 */
export const fileUrlSchema = z.object({
  url: z.string().check(z.startsWith('/files/')),
  bytes: z.int().check(z.minimum(0)),
  header: z.optional(z.string().check(z.maxLength(8_000))),
  skip: z.optional(z.int().check(z.minimum(0))),
  seal: z.optional(z.string()),
});
export type FileUrl = z.infer<typeof fileUrlSchema>;

export const fileStateSchema = z.object({ id: fileIdSchema, state: z.enum(['declared', 'uploading', 'complete']), bytes: z.nullable(z.int()) });

export const caseStatusSchema = z.enum(['received', 'acknowledged', 'in-progress', 'feedback-given', 'closed']);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const authorSchema = z.enum(['reporter', 'officer', 'clb']);
export type Author = z.infer<typeof authorSchema>;

/** `case`: with the reporter; `clb`: officers and escalation targets; `internal`: the channel's officers only. */
export const threadSchema = z.enum(['case', 'clb', 'internal']);
export type Thread = z.infer<typeof threadSchema>;

export const storedMessageSchema = z.object({
  id: z.string(),
  author: authorSchema,
  day: daySchema,
  message: armoredMessageSchema,
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

export const recipientSchema = z.object({
  role: z.enum(['reporter', 'officer', 'clb']),
  name: z.string(),
  fingerprint: fingerprintSchema,
});
export type Recipient = z.infer<typeof recipientSchema>;

export const deadlinesSchema = z.object({
  acknowledgeBy: daySchema,
  /** Set once the case is acknowledged: three months after the acknowledgement. */
  feedbackBy: z.nullable(daySchema),
});

export const caseViewSchema = z.object({
  channel: channelIdSchema,
  status: caseStatusSchema,
  escalated: z.boolean(),
  receivedOn: daySchema,
  acknowledgedOn: z.nullable(daySchema),
  closedOn: z.nullable(daySchema),
  deadlines: deadlinesSchema,
  reporterPublicKey: armoredPublicKeySchema,
  lockedPrivateKey: armoredPrivateKeySchema,
  /** Who can read the case: every later message must be encrypted to exactly these keys. */
  recipients: z.array(recipientSchema),
  /** Keys outside the conversation that received the report (an escalation without consent to join): named, so the reader list is complete. */
  sharedWith: z.array(z.object({ name: z.string(), fingerprint: fingerprintSchema, received: z.literal('report-without-contact') })),
  /** When a closed case will be deleted (the configured retention after closing). */
  deleteAfter: z.nullable(daySchema),
  /** Oldest first; the first is the report itself. */
  messages: z.array(storedMessageSchema),
  /** The files of the conversation and how far each upload got; what they are is inside the messages. */
  files: z._default(z.array(fileStateSchema), []),
});
export type CaseView = z.infer<typeof caseViewSchema>;

export const postedSchema = z.object({ id: z.string(), day: daySchema });

export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof errorBodySchema>;
