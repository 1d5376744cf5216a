import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reportPayloadSchema } from '../../../shared/schemas/payload.ts';
import { MAX_MESSAGE_CHARS } from '../../../shared/schemas/primitives.ts';
import { sealPayload } from '../../../shared/protocol/envelope.ts';
import { generateReporterKey } from '../../../shared/protocol/keys.ts';
import {
  MAX_ATTACHMENT_BYTES,
  MAX_LENGTH,
  REVIEW_STEP,
  emptyDraft,
  problemsOf,
  readAttachments,
  stepOf,
  toReportInput,
  type Draft,
  type TextField,
} from './draft.ts';

const FINGERPRINT = 'a'.repeat(40);
const complete = (over: Partial<Draft> = {}): Draft => ({ ...emptyDraft(), channel: 'integriteit', category: 'misstand', track: 'wbk', what: 'Iets.', ...over });
const asPayload = (draft: Draft) => ({ ...toReportInput(draft, 'nl'), v: 1, kind: 'report', reporterFingerprint: FINGERPRINT });

describe('the report draft', () => {
  it('asks for channel, category and track first, then what happened', () => {
    expect([...problemsOf(emptyDraft(), 0).keys()]).toEqual(['channel', 'category', 'track']);
    expect([...problemsOf({ ...emptyDraft(), what: '  ' }, 1).keys()]).toEqual(['what']);
    expect(problemsOf(complete(), 0).size + problemsOf(complete(), 1).size + problemsOf(complete(), REVIEW_STEP).size).toBe(0);
  });

  it('becomes a payload the shared schema accepts, at every field’s limit and not beyond', () => {
    const full = complete(Object.fromEntries(Object.entries(MAX_LENGTH).map(([field, max]) => [field, 'x'.repeat(max)])));
    expect(reportPayloadSchema.safeParse(asPayload(full)).success).toBe(true);
    for (const field of Object.keys(MAX_LENGTH) as TextField[]) {
      const over = complete({ [field]: 'x'.repeat(MAX_LENGTH[field] + 1) });
      expect(reportPayloadSchema.safeParse(asPayload(over)).success, field).toBe(false);
    }
  });

  it('refuses files over the limit before reading them', async () => {
    const big = new File([new Uint8Array(MAX_ATTACHMENT_BYTES + 1)], 'groot.bin');
    expect(await readAttachments([big])).toEqual({ attachments: [], problem: 'attachments-too-large' });
    const many = Array.from({ length: 11 }, (_, i) => new File(['x'], `${i}.txt`));
    expect((await readAttachments(many)).problem).toBe('too-many-attachments');
    const { attachments } = await readAttachments([new File(['hallo'], `${'n'.repeat(300)}.txt`, { type: 'text/plain' })]);
    expect(attachments[0]).toMatchObject({ data: btoa('hallo'), type: 'text/plain', size: 5 });
    expect(attachments[0]!.name).toHaveLength(200);
  });

  it('sends the reporter back to the step that holds a problem', () => {
    expect(stepOf('track')).toBe(0);
    expect(stepOf('whereDetail')).toBe(1);
    expect(stepOf('attachments')).toBe(2);
    expect(stepOf('contact')).toBe(3);
  });

  it('lets through only reports whose sealed message the API accepts (MAX_MESSAGE_CHARS)', async () => {
    const { attachments } = await readAttachments([new File([randomBytes(MAX_ATTACHMENT_BYTES)], 'bewijs.bin')]);
    const key = await generateReporterKey('x');
    const officer = await generateReporterKey('y');
    const seal = async (draft: Draft) =>
      (await sealPayload({ payload: reportPayloadSchema.parse(asPayload(draft)), signingKey: key.unlocked, encryptionKeys: [key.unlocked.toPublic(), officer.unlocked.toPublic()] }))
        .length;

    // The largest files with a short text: allowed, and small enough.
    const withFiles = complete({ attachments });
    expect(problemsOf(withFiles, REVIEW_STEP).size).toBe(0);
    expect(await seal(withFiles)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);

    // The largest files and every text field full: refused at the review, with the reason.
    const everything = complete({ attachments, ...Object.fromEntries(Object.entries(MAX_LENGTH).map(([f, max]) => [f, 'é'.repeat(max)])) });
    expect(problemsOf(everything, REVIEW_STEP).get('attachments')).toBe('report-too-large');
    expect(await seal(everything)).toBeGreaterThan(MAX_MESSAGE_CHARS);

    // Every text field full without files: allowed, and small enough.
    const texts = complete(Object.fromEntries(Object.entries(MAX_LENGTH).map(([f, max]) => [f, 'é'.repeat(max)])));
    expect(problemsOf(texts, REVIEW_STEP).size).toBe(0);
    expect(await seal(texts)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });
});
