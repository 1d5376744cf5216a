import { describe, expect, it } from 'vitest';
import { challengeRequestSchema } from '../../shared/schemas/api.ts';
import { AppError } from '../errors.ts';
import { purposeOf } from './challenge.ts';

describe('the challenge body, checked without zod', () => {
  it.each(['{"purpose":"submit"}', '{"purpose":"open"}', '{"purpose":"other"}', '{}', '[]', 'null', '{"purpose":"open","x":1}', '{"purpose":1}', '"open"', '{'])(
    'agrees with challengeRequestSchema on %s',
    (text) => {
      let schema: unknown = null;
      try {
        schema = challengeRequestSchema.safeParse(JSON.parse(text)).success;
      } catch {
        schema = false;
      }
      let manual: boolean;
      try {
        purposeOf(text);
        manual = true;
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(400);
        manual = false;
      }
      expect(manual).toBe(schema);
    },
  );
});
