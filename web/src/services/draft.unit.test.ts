import { describe, expect, it } from 'vitest';
import { reportPayloadSchema } from '../../../shared/schemas/payload.ts';
import { MAX_MESSAGE_CHARS } from '../../../shared/schemas/primitives.ts';
import { sealPayload } from '../../../shared/protocol/envelope.ts';
import { generateReporterKey } from '../../../shared/protocol/keys.ts';
import {
  chosen,
  MAX_LENGTH,
  REVIEW_STEP,
  emptyDraft,
  problemsOf,
  stepOf,
  toReportInput,
  type Draft,
  type TextField,
} from './draft.ts';

const FINGERPRINT = 'a'.repeat(40);
const complete = (over: Partial<Draft> = {}): Draft => ({ ...emptyDraft(), channel: 'integriteit', category: 'misstand', track: 'wbk', what: 'Iets.', ...over });
const asPayload = (draft: Draft) => ({ ...toReportInput(draft, 'nl'), v: 1, kind: 'report', reporterFingerprint: FINGERPRINT });

describe('the report draft', () => {
  it('asks what it is about (then who receives it and which rules) first, then what happened', () => {
    expect([...problemsOf(emptyDraft(), 0).keys()]).toEqual(['category', 'channel', 'track']);
    expect([...problemsOf({ ...emptyDraft(), what: '  ' }, 1).keys()]).toEqual(['what']);
    expect(problemsOf(complete(), 0).size + problemsOf(complete(), 1).size + problemsOf(complete(), REVIEW_STEP).size).toBe(0);
  });

  it('becomes a payload the shared schema accepts, at every field’s limit and not beyond', () => {
    // With a meeting wished for, so the proposed times travel too.
    const full = complete({ conversation: 'phone', ...Object.fromEntries(Object.entries(MAX_LENGTH).map(([field, max]) => [field, 'x'.repeat(max)])) });
    expect(reportPayloadSchema.safeParse(asPayload(full)).success).toBe(true);
    for (const field of Object.keys(MAX_LENGTH) as TextField[]) {
      const over = complete({ conversation: 'phone', [field]: 'x'.repeat(MAX_LENGTH[field] + 1) });
      expect(reportPayloadSchema.safeParse(asPayload(over)).success, field).toBe(false);
    }
  });

  it('refuses files over the site\'s limits without reading them, and removes metadata unless asked not to', () => {
    const limits = { maxFileBytes: 10, maxFilesPerMessage: 2 };
    const small = chosen([new File(['hallo'], `${'n'.repeat(300)}.txt`, { type: 'text/plain' })]);
    expect(small[0]).toMatchObject({ size: 5, keepMetadata: false });
    expect(small[0]!.name).toHaveLength(200);
    expect(problemsOf(complete({ attachments: small }), 2, limits).size).toBe(0);
    expect(problemsOf(complete({ attachments: chosen([new File(['x'.repeat(11)], 'groot.bin')]) }), 2, limits).get('attachments')).toBe('attachments-too-large');
    expect(problemsOf(complete({ attachments: chosen([new File(['x'], 'a'), new File(['x'], 'b'), new File(['x'], 'c')]) }), 2, limits).get('attachments')).toBe('too-many-attachments');
  });

  it('sends the reporter back to the step that holds a problem', () => {
    expect(stepOf('track')).toBe(0);
    expect(stepOf('whereDetail')).toBe(1);
    expect(stepOf('attachments')).toBe(2);
    expect(stepOf('contact')).toBe(3);
  });

  it('lets through only reports whose sealed message the API accepts (MAX_MESSAGE_CHARS)', async () => {
    const key = await generateReporterKey('x');
    const officer = await generateReporterKey('y');
    const seal = async (draft: Draft) =>
      (await sealPayload({ payload: reportPayloadSchema.parse(asPayload(draft)), signingKey: key.unlocked, encryptionKeys: [key.unlocked.toPublic(), officer.unlocked.toPublic()] }))
        .length;
    // Every text field full: allowed, and small enough. Files travel apart from the report, so they add only their descriptions.
    const texts = complete(Object.fromEntries(Object.entries(MAX_LENGTH).map(([f, max]) => [f, 'é'.repeat(max)])));
    expect(problemsOf(texts, REVIEW_STEP).size).toBe(0);
    expect(await seal(texts)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });
});
