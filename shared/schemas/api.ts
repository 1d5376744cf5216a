/** Requests and responses of the reporter API (protocol v1). Browser, functions and tests share them. */
import * as z from 'zod';
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

export const challengeRequestSchema = z.object({ purpose: z.enum(['submit', 'open']) }).strict();
export type ChallengeRequest = z.infer<typeof challengeRequestSchema>;

export const challengeSchema = z.object({
  token: z.string().max(300),
  difficulty: z.number().int().min(0).max(32),
  expiresAt: z.string(),
});
export type Challenge = z.infer<typeof challengeSchema>;

/** A solved challenge: `SHA-256(token ":" accessKey ":" nonce)` has `difficulty` leading zero bits. */
export const powSchema = z.object({ token: z.string().max(300), nonce: z.string().max(400) }).strict();

/** A file the message refers to, declared so that it may be uploaded: its id and the size of the original. */
export const fileDeclarationSchema = z.object({ id: fileIdSchema, size: z.number().int().min(0) }).strict();
const declarations = z.array(fileDeclarationSchema).max(50).default([]);

export const submitRequestSchema = z
  .object({
    v: z.literal(1),
    accessKey: accessKeySchema,
    channel: channelIdSchema,
    reporterPublicKey: armoredPublicKeySchema,
    lockedPrivateKey: armoredPrivateKeySchema,
    message: armoredMessageSchema,
    pow: powSchema,
    files: declarations,
  })
  .strict();
export type SubmitRequest = z.input<typeof submitRequestSchema>;

export const receiptSchema = z.object({
  status: z.literal('received'),
  receivedOn: daySchema,
  acknowledgeBy: daySchema,
  /** The service's signed statement that this report was received on `receivedOn` (shared/protocol/proof.ts). */
  proof: z.object({ statement: z.string().max(1000), signature: z.string().max(200) }),
});

export const proofKeySchema = z.object({ publicKey: z.string().startsWith('-----BEGIN PUBLIC KEY-----') });
export type Receipt = z.infer<typeof receiptSchema>;

export const openCaseRequestSchema = z.object({ accessKey: accessKeySchema, pow: powSchema }).strict();
export type OpenCaseRequest = z.infer<typeof openCaseRequestSchema>;

/** Made by the client, once per message: a retried send with the same id is stored once. */
export const messageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,43}$/, 'a message id is 16 to 43 base64url characters');

export const postMessageRequestSchema = z
  .object({ accessKey: accessKeySchema, pow: powSchema, messageId: messageIdSchema, message: armoredMessageSchema, files: declarations })
  .strict();
export type PostMessageRequest = z.infer<typeof postMessageRequestSchema>;

const partsSchema = z
  .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }).strict())
  .min(1)
  .max(10_000);

/** Reporter file requests: prove the case, name the file. */
export const fileRequestSchema = z.object({ accessKey: accessKeySchema, pow: powSchema, fileId: fileIdSchema }).strict();
export const finishUploadRequestSchema = z.object({ accessKey: accessKeySchema, pow: powSchema, fileId: fileIdSchema, parts: partsSchema }).strict();
/** Officer file requests carry the case and file in the path. */
export const officerFinishUploadSchema = z.object({ parts: partsSchema }).strict();

export const uploadStartedSchema = z.object({ partBytes: z.number().int().min(1), urls: z.array(z.string().startsWith('/files/')).min(1) });
export const uploadFinishedSchema = z.object({ bytes: z.number().int().min(0) });
/**
 * Where to download a file. After a case moved to another channel, `header` (base64 session key
 * packets for the new readers) replaces the first `skip` bytes of the stored object.
 */
export const fileUrlSchema = z.object({
  url: z.string().startsWith('/files/'),
  bytes: z.number().int().min(0),
  header: z.string().max(8_000).optional(),
  skip: z.number().int().min(0).optional(),
});
export type FileUrl = z.infer<typeof fileUrlSchema>;

export const fileStateSchema = z.object({ id: fileIdSchema, state: z.enum(['declared', 'uploading', 'complete']), bytes: z.number().int().nullable() });

export const caseStatusSchema = z.enum(['received', 'acknowledged', 'in-progress', 'feedback-given', 'closed']);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const authorSchema = z.enum(['reporter', 'officer', 'clb']);
export type Author = z.infer<typeof authorSchema>;

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
  feedbackBy: daySchema.nullable(),
});

export const caseViewSchema = z.object({
  channel: channelIdSchema,
  status: caseStatusSchema,
  escalated: z.boolean(),
  receivedOn: daySchema,
  acknowledgedOn: daySchema.nullable(),
  closedOn: daySchema.nullable(),
  deadlines: deadlinesSchema,
  reporterPublicKey: armoredPublicKeySchema,
  lockedPrivateKey: armoredPrivateKeySchema,
  /** Who can read the case: every later message must be encrypted to exactly these keys. */
  recipients: z.array(recipientSchema),
  /** Keys outside the conversation that received the report (an escalation without consent to join): named, so the reader list is complete. */
  sharedWith: z.array(z.object({ name: z.string(), fingerprint: fingerprintSchema, received: z.literal('report-without-contact') })),
  /** When a closed case will be deleted (the configured retention after closing). */
  deleteAfter: daySchema.nullable(),
  /** Oldest first; the first is the report itself. */
  messages: z.array(storedMessageSchema),
  /** The files of the conversation and how far each upload got; what they are is inside the messages. */
  files: z.array(fileStateSchema).default([]),
});
export type CaseView = z.infer<typeof caseViewSchema>;

export const postedSchema = z.object({ id: z.string(), day: daySchema });

export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof errorBodySchema>;
