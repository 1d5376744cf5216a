/**
 * The report being written: its fields, which ones each wizard step needs, and how it becomes the
 * report payload of protocol v1. It lives only in memory: nothing here is written to any browser
 * storage, so a reload or a closed tab forgets it.
 */
import type { Lang } from '../i18n/index.ts';
import type { ReportInput } from '../../../shared/client/reporter.ts';
import type { ClbConsent } from '../../../shared/schemas/payload.ts';

export const CATEGORIES = ['misstand', 'integriteitsschending', 'onregelmatigheid', 'ongewenste-omgangsvormen'] as const;
export const TRACKS = ['wbk', 'code'] as const;
export const LEVELS = ['afdeling', 'fractie', 'gewest', 'landelijk', 'anders', 'onbekend'] as const;
export const CONVERSATION = ['none', 'in-person', 'phone', 'video'] as const;
/** The same order as clbConsentSchema (a type import only: zod stays out of the first page). */
export const CLB_CHOICES: readonly ClbConsent[] = ['none', 'without-contact', 'conversation'];

export type Category = (typeof CATEGORIES)[number];
export type Track = (typeof TRACKS)[number];
export type Level = (typeof LEVELS)[number];
export type Conversation = (typeof CONVERSATION)[number];

/** Defaults of the config's file limits (channels.json says what this site allows). */
export const DEFAULT_FILE_LIMITS = { maxFileBytes: 500_000_000, maxFilesPerMessage: 10 };
export type FileLimits = typeof DEFAULT_FILE_LIMITS;

/**
 * The report is padded to a power-of-two bucket before sealing (shared/protocol/padding.ts). The
 * 128 KiB bucket armours to ~178,000 characters; the 256 KiB bucket to ~356,000, just over the
 * 350,000 the API accepts for one message (MAX_MESSAGE_CHARS), so 128 KiB is the largest that fits.
 */
const MAX_PAYLOAD_BYTES = 128 * 1024 - 1024;

/** A chosen file: only a handle to it; its bytes are read when it is sent, as a stream. */
export interface Attachment {
  file: File;
  name: string;
  size: number;
  /** The reporter chose to send it with its metadata. */
  keepMetadata: boolean;
}

export interface Draft {
  channel: string;
  category: Category | '';
  track: Track | '';
  what: string;
  when: string;
  whereLevel: Level;
  whereDetail: string;
  who: string;
  witnesses: string;
  evidence: string;
  attachments: Attachment[];
  reportedBefore: string;
  hopes: string;
  conversation: Conversation;
  meetingTimes: string;
  contact: string;
  /** Who besides the channel's officers may read the report: see clbConsentSchema. */
  clb: ClbConsent;
}

export type TextField = 'what' | 'when' | 'whereDetail' | 'who' | 'witnesses' | 'evidence' | 'reportedBefore' | 'hopes' | 'meetingTimes' | 'contact';
export type Field = keyof Draft;

/** The payload schema's limits (shared/schemas/payload.ts), enforced while typing rather than at sending. */
export const MAX_LENGTH: Record<TextField, number> = {
  what: 20_000,
  when: 500,
  whereDetail: 500,
  who: 2_000,
  witnesses: 2_000,
  evidence: 5_000,
  reportedBefore: 2_000,
  hopes: 5_000,
  meetingTimes: 1_000,
  contact: 1_000,
};

export const emptyDraft = (): Draft => ({
  channel: '',
  category: '',
  track: '',
  what: '',
  when: '',
  whereLevel: 'onbekend',
  whereDetail: '',
  who: '',
  witnesses: '',
  evidence: '',
  attachments: [],
  reportedBefore: '',
  hopes: '',
  conversation: 'none',
  meetingTimes: '',
  contact: '',
  clb: 'none',
});

export const STEP_COUNT = 5;
export const REVIEW_STEP = STEP_COUNT - 1;

/** The rules a kind of report falls under, as the regulation has it: a wrongdoing (misstand) under the Wbk, the rest under the code of conduct. */
export const suggestedTrack = (category: Category): Track => (category === 'misstand' ? 'wbk' : 'code');

/** What can be wrong with a field; the view turns it into words. */
export type Problem = 'required' | 'attachments-too-large' | 'too-many-attachments' | 'report-too-large' | 'voice-pending';

/** Chosen files as attachments, each with its metadata removed unless chosen otherwise. */
export const chosen = (files: File[]): Attachment[] => files.map((file) => ({ file, name: file.name.slice(0, 200), size: file.size, keepMetadata: false }));

/** Fields in the order they appear, so the error summary lists them top to bottom. */
const REQUIRED_BY_STEP: Field[][] = [['category', 'channel', 'track'], ['what'], [], [], []];

export function problemsOf(draft: Draft, step: number, limits: FileLimits = DEFAULT_FILE_LIMITS): Map<Field, Problem> {
  const problems = new Map<Field, Problem>();
  for (const field of REQUIRED_BY_STEP[step] ?? []) if (!String(draft[field]).trim()) problems.set(field, 'required');
  if (step === 2 || step === REVIEW_STEP) {
    const attachmentProblem = attachmentsProblem(draft.attachments, limits);
    if (attachmentProblem) problems.set('attachments', attachmentProblem);
  }
  if (step === REVIEW_STEP && problems.size === 0 && payloadBytes(draft) > MAX_PAYLOAD_BYTES) problems.set('attachments', 'report-too-large');
  return problems;
}

export function attachmentsProblem(attachments: Pick<Attachment, 'size'>[], limits: FileLimits = DEFAULT_FILE_LIMITS): Problem | null {
  if (attachments.length > limits.maxFilesPerMessage) return 'too-many-attachments';
  if (attachments.some((a) => a.size > limits.maxFileBytes)) return 'attachments-too-large';
  return null;
}

/** The first step holding a problem, to send the reporter back to it from the review. */
export function stepOf(field: Field): number {
  const byStep: Field[][] = [
    ['category', 'channel', 'track'],
    ['what', 'when', 'whereLevel', 'whereDetail'],
    ['who', 'witnesses', 'evidence', 'attachments', 'reportedBefore'],
    ['hopes', 'conversation', 'meetingTimes', 'contact', 'clb'],
  ];
  const step = byStep.findIndex((fields) => fields.includes(field));
  return step < 0 ? REVIEW_STEP : step;
}

/** The report payload the shared client seals; `problemsOf` must have passed for every step. */
export function toReportInput(draft: Draft, lang: Lang): ReportInput {
  if (!draft.category || !draft.track) throw new Error('the first step is not complete');
  return {
    lang,
    channel: draft.channel,
    category: draft.category,
    track: draft.track,
    answers: {
      what: draft.what,
      when: draft.when,
      where: { level: draft.whereLevel, detail: draft.whereDetail },
      who: draft.who,
      witnesses: draft.witnesses,
      evidence: draft.evidence,
      reportedBefore: draft.reportedBefore,
      hopes: draft.hopes,
    },
    conversation: draft.conversation,
    meetingTimes: draft.conversation === 'none' ? '' : draft.meetingTimes,
    contact: draft.contact,
    consent: { clb: draft.clb },
  };
}

/** About what the padded plaintext will weigh (the fingerprint and JSON framing add a little). */
function payloadBytes(draft: Draft): number {
  return new TextEncoder().encode(JSON.stringify(toReportInput(draft, 'nl'))).length + 256;
}
