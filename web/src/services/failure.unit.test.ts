import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/client/api.ts';
import { CryptoError } from '../../../shared/protocol/errors.ts';
import { failureOf } from './failure.ts';

describe('failureOf', () => {
  it('tells apart what the reporter can act on', () => {
    expect(failureOf(new ApiError(404, 'not-found', ''))).toBe('not-found');
    expect(failureOf(new ApiError(409, 'case-closed', ''))).toBe('case-closed');
    expect(failureOf(new ApiError(400, 'wrong-recipients', ''))).toBe('wrong-recipients');
    expect(failureOf(new ApiError(413, 'too-large', ''))).toBe('too-large');
    expect(failureOf(new CryptoError('bad-key', ''))).toBe('unknown-reader');
    expect(failureOf(new TypeError('Failed to fetch'))).toBe('offline');
    expect(failureOf(new DOMException('', 'AbortError'))).toBe('aborted');
  });

  it('says nothing more than "failed" about anything else', () => {
    expect(failureOf(new ApiError(500, 'internal', ''))).toBe('failed');
    expect(failureOf(new CryptoError('corrupt', ''))).toBe('failed');
    expect(failureOf('a string')).toBe('failed');
  });
});
