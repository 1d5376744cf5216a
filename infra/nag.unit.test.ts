/**
 * cdk-nag is live (an unacknowledged finding fails synth), acknowledgements are narrow and reasoned,
 * and the variants (custom domain, sender domain) synthesize and pass. These synths skip bundling
 * (`aws:cdk:bundling-stacks`), which infra.unit.test.ts covers.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuildOptions } from './build.ts';
import { TEST_SENDER, testConfig, webDist } from './fixture.ts';
import { acknowledgements } from './nag.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
let plain: Awaited<ReturnType<typeof testConfig>>;
let withDomain: Awaited<ReturnType<typeof testConfig>>;

beforeAll(async () => {
  plain = await testConfig();
  withDomain = await testConfig({ domain: 'meldpunt.example.nl' });
}, 60_000);

function build(fixture: typeof plain, options: Partial<BuildOptions> = {}) {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meldpunt-nag-')), context: { 'aws:cdk:bundling-stacks': [] } });
  return buildApp({ app, ...fixture, webDist: webDist(), env: { region: 'eu-west-1' }, ...options });
}

describe('cdk-nag', () => {
  it('fails synth on a finding nobody acknowledged', () => {
    const { app, stateless } = build(plain);
    new s3.Bucket(stateless, 'Unreviewed'); // no access logs, no TLS enforcement
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10/);
  });

  it('acknowledges findings on the constructs they arise from, never a whole stack, each with a reason', () => {
    const { stateful, stateless } = build(plain);
    for (const { scope, rules, reason } of acknowledgements(stateful, stateless)) {
      expect(Stack.isStack(scope), scope.node.path).toBe(false);
      expect(rules.length).toBeGreaterThan(0);
      expect(reason.length, rules.join()).toBeGreaterThan(40);
    }
  });
});

describe('custom domain', () => {
  it('serves config.domain with its certificate and TLS 1.2 at least, with no certificate exemption', () => {
    const { app, stateful, stateless } = build(withDomain, { certificateArn: CERTIFICATE });
    expect(acknowledgements(stateful, stateless).flatMap((a) => a.rules)).not.toContain('AwsSolutions::AwsSolutions-CFR4');
    expect(() => app.synth()).not.toThrow();
    const config = Object.values(Template.fromStack(stateless).findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['meldpunt.example.nl']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    Template.fromStack(stateless).hasOutput('Url', { Value: 'https://meldpunt.example.nl' });
  });

  it('warns when config.domain has no certificate, and refuses a certificate without a domain', () => {
    const { app } = build(withDomain);
    const warnings = app.synth().stacks.flatMap((s) => s.messages).filter((m) => m.level === 'warning');
    expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringContaining('no certificate was given')]);
    expect(() => build(plain, { certificateArn: CERTIFICATE })).toThrow(/config.domain is not set/);
  });
});

describe('sender identity', () => {
  it('verifies the address by default, or the whole domain with DKIM records to publish', () => {
    const byAddress = Template.fromStack(build(plain).stateless);
    byAddress.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: TEST_SENDER });
    expect(Object.keys(byAddress.findOutputs('*')).filter((k) => k.startsWith('SenderDkim'))).toEqual([]);

    const { app, stateless } = build(plain, { verifySender: 'domain' });
    expect(() => app.synth()).not.toThrow();
    const byDomain = Template.fromStack(stateless);
    byDomain.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: TEST_SENDER.split('@')[1], DkimSigningAttributes: Match.absent() });
    expect(Object.keys(byDomain.findOutputs('*')).filter((k) => k.startsWith('SenderDkim'))).toHaveLength(3);
  });
});
