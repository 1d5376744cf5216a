/** The CloudFront headers policy is derived from shared/http/headers.ts, never a second copy of it. */
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../shared/http/headers.ts';
import { headersPolicyProps } from './constructs/web.ts';

describe('headersPolicyProps', () => {
  it('carries a header added to the shared object, as a custom header', () => {
    const props = headersPolicyProps({ ...SECURITY_HEADERS, 'cross-origin-embedder-policy': 'require-corp' });
    expect(props.customHeadersBehavior?.customHeaders).toContainEqual({ header: 'cross-origin-embedder-policy', value: 'require-corp', override: true });
  });

  it('refuses a value CloudFront cannot send rather than dropping it', () => {
    expect(() => headersPolicyProps({ ...SECURITY_HEADERS, 'x-frame-options': 'ALLOW-FROM https://example.org' })).toThrow(/x-frame-options/);
    expect(() => headersPolicyProps({ ...SECURITY_HEADERS, 'strict-transport-security': 'max-age=1; bogus' })).toThrow(/strict-transport-security/);
    expect(() => headersPolicyProps({ ...SECURITY_HEADERS, 'referrer-policy': 'nonsense' })).toThrow(/referrer-policy/);
  });

  it('keeps preload when the shared HSTS value asks for it', () => {
    const props = headersPolicyProps({ ...SECURITY_HEADERS, 'strict-transport-security': 'max-age=63072000; includeSubDomains; preload' });
    expect(props.securityHeadersBehavior?.strictTransportSecurity).toMatchObject({ includeSubdomains: true, preload: true });
  });
});
