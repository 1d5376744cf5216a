/** The deployment's security properties, asserted on the synthesized templates (cdk-nag runs during synth). */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../functions/local/demo.ts';
import { FUNCTIONS, ROUTES, SCHEDULED } from '../functions/routes.ts';
import { TABLE } from '../functions/store/table.ts';
import { SECURITY_HEADERS } from '../shared/http/headers.ts';
import { publicChannels, type Config } from '../shared/config/schema.ts';
import { buildApp } from './build.ts';
import { PERMISSIONS } from './permissions.ts';

let data: Template;
let appT: Template;
let synthError: unknown = null;
let outdir: string;
let demoConfig: Config;

beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'meldpunt-cdk-'));
  const { config } = await createDemo(home, 16);
  demoConfig = config;
  outdir = mkdtempSync(join(tmpdir(), 'meldpunt-cdk-out-'));
  const built = resolve(import.meta.dirname, '../web/dist');
  const webDist = existsSync(join(built, 'index.html')) ? built : mkdtempSync(join(tmpdir(), 'meldpunt-web-'));
  if (webDist !== built) writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Meldpunt</title>');
  const app = new App({ outdir, context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', 'aws:cdk:enable-asset-metadata': true } });
  const { stateful, stateless } = buildApp({ app, config, configJson: JSON.stringify(config), webDist, env: { region: 'eu-west-1' } });
  try {
    app.synth(); // runs the cdk-nag AwsSolutions plugin; unacknowledged findings fail here
  } catch (e) {
    synthError = e;
  }
  data = Template.fromStack(stateful);
  appT = Template.fromStack(stateless);
}, 180_000);

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The IAM statements attached to one function's role. */
function statementsOf(fn: string): Statement[] {
  const roles = appT.findResources('AWS::IAM::Role');
  const roleId = Object.keys(roles).find((id) => id.startsWith(`Functions${fn.replace(/-/g, '')}ServiceRole`));
  expect(roleId, fn).toBeDefined();
  const policies = appT.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId!))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (fn: string) => statementsOf(fn).flatMap((s) => [s.Action].flat());

describe('cdk-nag', () => {
  it('AwsSolutions passes at synth, every finding acknowledged with a reason', () => {
    expect(synthError).toBeNull();
  });
});

describe('stateful stack', () => {
  it('encrypts the table with the customer-managed key, with PITR, deletion protection and TTL', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: TABLE.byChannel.name })],
    });
    data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: Match.absent(), EnableKeyRotation: true });
  });

  it('has two HMAC_256 keys for the code lookup and the proof of work', () => {
    expect(Object.keys(data.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } }))).toHaveLength(2);
  });
});

describe('functions', () => {
  it('one Node.js 22 ARM64 function per handler, with short log retention', () => {
    const fns = Object.values(appT.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.TABLE_NAME);
    expect(fns).toHaveLength(FUNCTIONS.length + SCHEDULED.length);
    for (const fn of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
    for (const group of Object.values(appT.findResources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBeLessThanOrEqual(14);
  });

  it('every function has a permission entry', () => {
    for (const fn of [...FUNCTIONS, ...SCHEDULED]) expect(PERMISSIONS[fn], fn).toBeDefined();
  });

  it('reporter functions can neither scan nor list the table', () => {
    for (const fn of ['health', 'challenge', 'submit', 'reporter-case']) {
      const statements = statementsOf(fn);
      const actions = statements.flatMap((s) => [s.Action].flat());
      expect(actions, fn).not.toContain('dynamodb:Scan');
      expect(actions.some((a) => a === 'dynamodb:*' || a === '*'), fn).toBe(false);
      // A Query, where allowed, is on the table's own key (a case's partition), never on the channel index.
      for (const s of statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')))) {
        expect(JSON.stringify(s.Resource), fn).not.toContain('index');
      }
    }
    expect(actionsOf('health').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(actionsOf('challenge').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('only the functions that look up codes may call GenerateMac on the lookup key', () => {
    const lookupKey = Object.keys(data.findResources('AWS::KMS::Key')).find((id) => id.includes('LookupKey'))!;
    const usesLookup = (fn: string) => statementsOf(fn).some((s) => [s.Action].flat().includes('kms:GenerateMac') && JSON.stringify(s.Resource).includes(lookupKey));
    expect([...FUNCTIONS, ...SCHEDULED].filter(usesLookup).sort()).toEqual(['reporter-case', 'submit']);
    expect(actionsOf('officer')).not.toContain('kms:GenerateMac');
  });

  it('mail is sent only from the configured address', () => {
    const ses = statementsOf('submit').find((s) => [s.Action].flat().includes('ses:SendEmail'))!;
    expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'meldpunt@demo.invalid' } });
    expect(actionsOf('challenge')).not.toContain('ses:SendEmail');
  });
});

describe('bundles', () => {
  it('every function bundle loads in Node with only its Lambda environment (the config is compiled in)', () => {
    const env = { PATH: process.env.PATH, TABLE_NAME: 't', LOOKUP_KEY_ID: 'k', POW_KEY_ID: 'p', MAIL_FROM: 'm@example.org', AWS_REGION: 'eu-west-1' };
    const fns = Object.entries(appT.findResources('AWS::Lambda::Function')).filter(([, f]) => f.Properties.Environment?.Variables?.TABLE_NAME);
    for (const [id, fn] of fns) {
      // Lambda provides @aws-sdk/*; the project's node_modules stand in for it here.
      const copy = resolve(import.meta.dirname, `../.bundle-check-${id}.mjs`);
      copyFileSync(join(outdir, fn.Metadata['aws:asset:path'], 'index.mjs'), copy);
      try {
        const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(copy)}); console.log(typeof m.handler);`], { env, encoding: 'utf8' });
        expect(run.stdout.trim(), `${id}: ${run.stderr.slice(0, 400)}`).toBe('function');
      } finally {
        rmSync(copy);
      }
    }
  });

  it('keeps the health check free of crypto', () => {
    const fns = appT.findResources('AWS::Lambda::Function');
    const [, health] = Object.entries(fns).find(([id]) => id.startsWith('Functionshealth'))!;
    const bundle = readFileSync(join(outdir, health.Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
    expect(bundle.length).toBeLessThan(100_000);
    expect(bundle).not.toContain('BEGIN PGP');
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of the route table', () => {
    const routes = Object.values(appT.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string);
    expect(routes.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('is throttled and keeps no access log with addresses or user agents', () => {
    const stages = Object.values(appT.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]!.Properties;
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const format = JSON.stringify(stage.AccessLogSettings ?? {});
    expect(format).not.toMatch(/sourceIp|userAgent/);
    expect(stage.AccessLogSettings).toBeUndefined();
  });
});

describe('web distribution', () => {
  it('sends the same security headers as the local server', () => {
    const policies = Object.values(appT.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(1);
    const config = policies[0]!.Properties.ResponseHeadersPolicyConfig;
    const s = config.SecurityHeadersConfig;
    const sent: Record<string, string> = {
      'content-security-policy': s.ContentSecurityPolicy.ContentSecurityPolicy,
      'referrer-policy': s.ReferrerPolicy.ReferrerPolicy,
      'x-content-type-options': 'nosniff',
      'x-frame-options': s.FrameOptions.FrameOption,
      'strict-transport-security': `max-age=${s.StrictTransportSecurity.AccessControlMaxAgeSec}${s.StrictTransportSecurity.IncludeSubdomains ? '; includeSubDomains' : ''}`,
      ...Object.fromEntries(config.CustomHeadersConfig.Items.map((h: { Header: string; Value: string }) => [h.Header, h.Value])),
    };
    expect(s.ContentTypeOptions.Override).toBe(true);
    expect(sent).toEqual(SECURITY_HEADERS);
  });

  it('logs nothing, and passes /api/* to the API uncached without viewer headers', () => {
    const dist = Object.values(appT.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(dist.Logging).toBeUndefined();
    const api = dist.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    const request = Object.values(appT.findResources('AWS::CloudFront::OriginRequestPolicy'))[0]!.Properties.OriginRequestPolicyConfig;
    expect(request.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(request.HeadersConfig.Headers.map((h: string) => h.toLowerCase())).not.toContain('user-agent');
    expect(request.CookiesConfig.CookieBehavior).toBe('none');
  });

  it('deploys channels.json, the keys the browser trusts, beside the app', () => {
    const deployment = Object.values(appT.findResources('Custom::CDKBucketDeployment'))[0]!.Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(2); // the built app and channels.json
    const staged = readdirSync(outdir).filter((d) => d.startsWith('asset.')).map((d) => join(outdir, d, 'channels.json')).filter(existsSync);
    expect(staged).toHaveLength(1);
    expect(JSON.parse(readFileSync(staged[0]!, 'utf8'))).toEqual(publicChannels(demoConfig));
  });

  it('runs the daily job on a schedule', () => {
    appT.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 6 * * ? *)' });
  });
});
