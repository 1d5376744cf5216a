/**
 * The deployment's promises, asserted on the synthesized templates. One real synth (esbuild bundles
 * every function, cdk-nag runs) is shared by every assertion in this file.
 */
import { App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES, SCHEDULED } from '../functions/routes.ts';
import { TABLE } from '../functions/store/table.ts';
import { paperText, publicChannels, type Config } from '../shared/config/schema.ts';
import { SECURITY_HEADERS } from '../shared/http/headers.ts';
import { HEADERS as SIGNATURE_HEADERS } from '../shared/protocol/request-signing.ts';
import { buildApp } from './build.ts';
import { entryOf, filesAtStart } from './constructs/functions.ts';
import { TEST_SENDER, testConfig, webDist } from './fixture.ts';
import { PERMISSIONS, type AnyFunctionName } from './permissions.ts';
import type { StatefulStack, StatelessStack } from './stacks.ts';

const ALL: AnyFunctionName[] = [...FUNCTIONS, ...SCHEDULED];
const REPORTER: AnyFunctionName[] = ['health', 'challenge', 'submit', 'reporter-case'];

let config: Config;
let outdir: string;
let stateful: StatefulStack;
let stateless: StatelessStack;
let data: Template;
let appT: Template;
let synthError: unknown = null;

beforeAll(async () => {
  const fixture = await testConfig();
  config = fixture.config;
  outdir = mkdtempSync(join(tmpdir(), 'meldpunt-cdk-out-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  ({ stateful, stateless } = buildApp({ app, config, keyFactsJson: fixture.keyFactsJson, webDist: webDist(), env: { region: 'eu-west-1' } }));
  try {
    app.synth(); // bundles every function and runs cdk-nag: an unacknowledged finding throws here
  } catch (e) {
    synthError = e;
  }
  data = Template.fromStack(stateful);
  appT = Template.fromStack(stateless);
}, 240_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const idOf = (c: IConstruct) => (c.node.defaultChild as CfnResource).stack.getLogicalId(c.node.defaultChild as CfnResource);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const actions = (s: Statement) => [s.Action].flat();

/** The inline IAM statements of one function's role. */
function statementsOf(name: AnyFunctionName): Statement[] {
  const role = idOf(stateless.functions.byName[name].role!);
  return Object.values(appT.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** What a statement is about, from the resources it names. */
function target(name: AnyFunctionName, s: Statement): 'logs' | 'table' | 'index' | 'tableKey' | 'lookupKey' | 'powKey' | 'proofKey' | 'ses' | 'files' | 'filesBucket' | 'filesKey' | 'other' {
  const r = JSON.stringify(s.Resource);
  const d = stateful.data;
  const e = stateful.evidence;
  if (r.includes(idOf(e.bucket))) return r.includes('/files/*') ? 'files' : 'filesBucket';
  if (r.includes(idOf(e.key))) return 'filesKey';
  if (r === JSON.stringify({ 'Fn::GetAtt': [idOf(stateless.functions.node.findChild(`${name}-logs`)), 'Arn'] })) return 'logs';
  if (r.includes(idOf(d.table))) return r.includes('/index/') ? 'index' : 'table';
  if (r.includes(idOf(d.tableKey))) return 'tableKey';
  if (r.includes(idOf(d.lookupKey))) return 'lookupKey';
  if (r.includes(idOf(d.powKey))) return 'powKey';
  if (r.includes(idOf(d.proofKey))) return 'proofKey';
  if (r.includes(':ses:')) return 'ses';
  return 'other';
}

/** Actions per target, for one function. */
function grantsOf(name: AnyFunctionName): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of statementsOf(name)) {
    expect(s.Effect).toBe('Allow');
    (out[target(name, s)] ??= []).push(...actions(s));
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

describe('cdk-nag', () => {
  it('AwsSolutions passes at synth, every finding acknowledged with a reason (infra/nag.ts)', () => {
    expect(synthError).toBeNull();
  });
});

describe('stateful stack', () => {
  it('keeps the table on demand, encrypted with its customer-managed key, with PITR, deletion protection and TTL', () => {
    const tableKey = idOf(stateful.data.tableKey);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [tableKey, 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
    data.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true, KeySpec: Match.absent() }, DeletionPolicy: 'Retain' });
    expect(Object.keys(data.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true, KeySpec: Match.absent() } })).sort()).toEqual([tableKey, idOf(stateful.evidence.key)].sort());
  });

  it('keeps evidence in a private, KMS-encrypted, TLS-only bucket without access logs or versions, aborting unfinished uploads after a day', () => {
    const bucket = idOf(stateful.evidence.bucket);
    data.hasResource('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [idOf(stateful.evidence.key), 'Arn'] } } },
          ],
        },
        LifecycleConfiguration: { Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })] },
        LoggingConfiguration: Match.absent(),
        VersioningConfiguration: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
    const policy = Object.values(data.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket).includes(bucket))!;
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement)).toContain('"aws:SecureTransport":"false"');
    // No CloudTrail data events anywhere in the app: nothing records who fetched which object.
    expect(Object.keys(data.findResources('AWS::CloudTrail::Trail'))).toEqual([]);
    expect(Object.keys(appT.findResources('AWS::CloudTrail::Trail'))).toEqual([]);
  });

  it('has the byChannel index the officer listing needs', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: TABLE.byChannel.name,
          KeySchema: [
            { AttributeName: TABLE.byChannel.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.byChannel.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });

  it('has two HMAC_256 keys, for the code lookup and the proof of work', () => {
    const hmac = data.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } });
    expect(Object.keys(hmac).sort()).toEqual([idOf(stateful.data.lookupKey), idOf(stateful.data.powKey)].sort());
  });

  it('retains the table and every key when the stack is deleted', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key']) {
      for (const resource of Object.values(data.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      }
    }
  });
});

describe('functions', () => {
  it('one Node.js 22 ARM64 function per handler, each with its own short-lived log group', () => {
    for (const name of ALL) {
      const fn = appT.findResources('AWS::Lambda::Function')[idOf(stateless.functions.byName[name])]!;
      expect(fn.Properties.Runtime, name).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, name).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig.LogGroup, name).toEqual({ Ref: expect.stringMatching(new RegExp(`^Functions${name.replace(/-/g, '')}logs`)) });
    }
    const groups = Object.values(appT.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(ALL.length);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBeLessThanOrEqual(7);
  });

  it('gets the runtime contract in its environment, and the config compiled in rather than there', () => {
    for (const name of ALL) {
      const vars = appT.findResources('AWS::Lambda::Function')[idOf(stateless.functions.byName[name])]!.Properties.Environment.Variables;
      expect(Object.keys(vars).sort(), name).toEqual(['BUCKET_NAME', 'LOOKUP_KEY_ID', 'MAIL_FROM', 'POW_KEY_ID', 'PROOF_KEY_ID', 'TABLE_NAME']);
      expect(vars.MAIL_FROM).toBe(TEST_SENDER);
    }
  });

  it('every function has a handler file and a permission entry, and every entry a function', () => {
    for (const name of ALL) {
      expect(existsSync(entryOf(name)), entryOf(name)).toBe(true);
      expect(PERMISSIONS[name], `${name} has no entry in infra/permissions.ts`).toBeDefined();
    }
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ALL].sort());
  });
});

describe('IAM boundaries', () => {
  it('each role holds exactly what infra/permissions.ts gives it, and nothing on any other resource', () => {
    for (const name of ALL) {
      const p = PERMISSIONS[name];
      const grants = grantsOf(name);
      expect(grants.other, name).toBeUndefined();
      expect(grants.logs, name).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(grants.table ?? [], name).toEqual([...p.table].sort());
      expect(grants.index ?? [], name).toEqual(p.listByChannel ? ['dynamodb:Query'] : []);
      expect(grants.lookupKey ?? [], name).toEqual(p.lookupMac ? ['kms:GenerateMac'] : []);
      expect(grants.powKey ?? [], name).toEqual(p.powMac ? ['kms:GenerateMac'] : []);
      expect(grants.proofKey ?? [], name).toEqual(p.proof === 'sign' ? ['kms:Sign'] : p.proof === 'public-key' ? ['kms:GetPublicKey'] : []);
      expect(grants.ses ?? [], name).toEqual(p.mail ? ['ses:SendEmail'] : []);
      expect(grants.tableKey !== undefined, name).toBe(p.table.length > 0 || p.listByChannel);
      const files = { none: [], 'read-write': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'], sweep: ['s3:AbortMultipartUpload', 's3:DeleteObject'] };
      expect(grants.files ?? [], name).toEqual(files[p.files]);
      expect(grants.filesBucket ?? [], name).toEqual({ none: [], 'read-write': ['s3:ListBucket'], sweep: ['s3:ListBucket', 's3:ListBucketMultipartUploads'] }[p.files]);
      expect(grants.filesKey ?? [], name).toEqual({ none: [], 'read-write': ['kms:Decrypt', 'kms:GenerateDataKey'], sweep: ['kms:Decrypt'] }[p.files]);
    }
  });

  it('reaches the evidence bucket only under files/, the file key only through S3, and no reporter function lists or deletes beyond its case', () => {
    for (const name of ALL) {
      for (const s of statementsOf(name)) {
        const t = target(name, s);
        if (t === 'filesBucket') expect(s.Condition, name).toEqual({ StringLike: { 's3:prefix': ['files/*'] } });
        if (t === 'filesKey') expect(JSON.stringify(s.Condition), name).toContain('kms:ViaService');
      }
    }
    expect(PERMISSIONS.submit.files).toBe('none');
    expect(PERMISSIONS.health.files).toBe('none');
    expect(PERMISSIONS.challenge.files).toBe('none');
  });

  it('reporter functions can neither scan nor list the table', () => {
    for (const name of REPORTER) {
      const grants = grantsOf(name);
      expect(grants.index, name).toBeUndefined();
      expect(grants.table ?? [], name).not.toContain('dynamodb:Scan');
      expect(grants.table ?? [], name).not.toContain('dynamodb:DeleteItem');
      // A Query on the table itself must name a partition: the case id, which only the code yields.
      expect((grants.table ?? []).filter((a) => a === 'dynamodb:Query' || !/^dynamodb:(Get|Put|Update)Item$/.test(a)), name).toEqual(
        name === 'reporter-case' || name === 'submit' ? ['dynamodb:Query'] : [],
      );
    }
    expect(Object.keys(grantsOf('health'))).toEqual(['logs']);
    expect(Object.keys(grantsOf('challenge')).sort()).toEqual(['logs', 'powKey', 'proofKey']);
    // Only submit signs proofs; the public key is all anyone else may have.
    expect(ALL.filter((name) => (grantsOf(name).proofKey ?? []).includes('kms:Sign'))).toEqual(['submit']);
  });

  it('only submit and reporter-case may GenerateMac on the lookup key; officer and scheduled functions on no key', () => {
    expect(ALL.filter((name) => grantsOf(name).lookupKey).sort()).toEqual(['reporter-case', 'submit']);
    expect(ALL.filter((name) => grantsOf(name).powKey).sort()).toEqual(['challenge', 'reporter-case', 'submit']);
    for (const name of ALL.filter((n) => PERMISSIONS[n].audience !== 'reporter')) {
      expect(statementsOf(name).flatMap(actions), name).not.toContain('kms:GenerateMac');
    }
  });

  it('only scheduled functions may scan; only officer and scheduled functions delete', () => {
    for (const name of ALL) {
      if (PERMISSIONS[name].audience !== 'scheduled') expect(grantsOf(name).table ?? [], name).not.toContain('dynamodb:Scan');
      if (PERMISSIONS[name].audience === 'reporter') expect(grantsOf(name).table ?? [], name).not.toContain('dynamodb:DeleteItem');
    }
  });

  it('roles carry no managed policy: nothing beyond the statements above', () => {
    for (const name of ALL) {
      const role = appT.findResources('AWS::IAM::Role')[idOf(stateless.functions.byName[name].role!)]!;
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  it('no wildcard action or resource but the scoped, conditioned ones', () => {
    for (const name of ALL) {
      for (const s of statementsOf(name)) {
        for (const action of actions(s)) expect(action, name).not.toMatch(/^(\*|[a-z0-9]+:\*)$/);
        expect(s.Resource, name).not.toBe('*');
        if (target(name, s) === 'tableKey') expect(s.Condition, name).toEqual({ StringEquals: { 'kms:ViaService': expect.anything() } });
        if (target(name, s) === 'ses') expect(s.Condition, name).toEqual({ StringEquals: { 'ses:FromAddress': TEST_SENDER } });
      }
    }
  });
});

describe('bundles', () => {
  const bundles = () =>
    ALL.map((name) => {
      const fn = appT.findResources('AWS::Lambda::Function')[idOf(stateless.functions.byName[name])]!;
      const dir = join(outdir, fn.Metadata['aws:asset:path']);
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
      return { name, dir, files, code: files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') };
    });

  it('are ESM with the AWS SDK bundled in; the clients a request may not need load from chunks of their own', () => {
    for (const { name, files, code } of bundles()) {
      expect(files, name).toContain('index.mjs');
      // Nothing is left for node_modules or the runtime's SDK to provide.
      // (Minified imports: `from"@aws-sdk/…"`, `import("@aws-sdk/…")`; an SDK error message quotes one with a space.)
      expect(code, name).not.toMatch(/from"@aws-sdk\/|import\("@aws-sdk\//);
    }
    // The officer function mails and touches files, but a cold start compiles neither client:
    // what index.mjs imports statically has no SES or S3 operation in it; a chunk loaded by import() has.
    const officer = bundles().find((b) => b.name === 'officer')!;
    const startCode = filesAtStart(officer.dir).map((f) => readFileSync(join(officer.dir, f), 'utf8')).join('\n');
    expect(startCode).toContain('"PutItem"');
    for (const operation of ['"SendEmail"', '"PutObject"']) {
      expect(startCode).not.toContain(operation);
      expect(officer.code).toContain(operation);
    }
  });

  it('load in Node with only their Lambda environment, outside the project (the config is compiled in)', () => {
    const env = { PATH: process.env.PATH, TABLE_NAME: 'meldpunt', BUCKET_NAME: 'files', LOOKUP_KEY_ID: 'k', POW_KEY_ID: 'p', PROOF_KEY_ID: 'r', MAIL_FROM: TEST_SENDER, AWS_REGION: 'eu-west-1' };
    for (const { name, dir } of bundles()) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))}); console.log(typeof m.handler);`], {
        cwd: tmpdir(),
        env,
        encoding: 'utf8',
      });
      expect(run.stdout.trim(), `${name}: ${run.stderr.slice(0, 400)}`).toBe('function');
    }
  });

  it('keep openpgp.js out of every function, and zod and the stores out of the challenge function', () => {
    for (const { name, code } of bundles()) expect(code, name).not.toContain('OpenPGP.js');
    const challenge = bundles().find((b) => b.name === 'challenge')!.code;
    expect(challenge).not.toContain('ZodError');
    expect(challenge).not.toContain('ConditionalCheckFailedException');
  });

  it('keep the health check small and free of crypto and config', () => {
    const health = bundles().find((b) => b.name === 'health')!.code;
    expect(health.length).toBeLessThan(100_000);
    expect(health).not.toContain('BEGIN PGP');
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of the route table, each to its function', () => {
    const integrations = appT.findResources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(appT.findResources('AWS::ApiGatewayV2::Route')).map((r) => {
      const integrationId = (r.Properties.Target['Fn::Join'][1] as unknown[]).map((part) => (part as { Ref?: string }).Ref).find(Boolean)!;
      return { key: r.Properties.RouteKey as string, uri: JSON.stringify(integrations[integrationId]!.Properties.IntegrationUri) };
    });
    expect(routes.map((r) => r.key).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const found = routes.find((r) => r.key === `${route.method} ${route.path}`)!;
      expect(found.uri, route.path).toContain(idOf(stateless.functions.byName[route.fn]));
    }
  });

  it('is throttled and keeps no access log, so no address or user agent', () => {
    const stages = Object.values(appT.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]!.Properties;
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 });
    expect(stage.AccessLogSettings).toBeUndefined();
    expect(JSON.stringify(appT.toJSON())).not.toMatch(/\$context\.identity\.(sourceIp|userAgent)|\$context\.http\.userAgent/);
  });
});

describe('web distribution', () => {
  const distribution = () => Object.values(appT.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

  it('sends exactly the security headers of the local server, on pages and API alike', () => {
    const policies = appT.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const [policyId, policy] = Object.entries(policies)[0]!;
    const c = policy.Properties.ResponseHeadersPolicyConfig;
    const s = c.SecurityHeadersConfig;
    const sts = s.StrictTransportSecurity;
    const sent: Record<string, string> = {
      'content-security-policy': s.ContentSecurityPolicy.ContentSecurityPolicy,
      'referrer-policy': s.ReferrerPolicy.ReferrerPolicy,
      'x-content-type-options': 'nosniff', // the only value CloudFront's ContentTypeOptions sends
      'x-frame-options': s.FrameOptions.FrameOption,
      'strict-transport-security': [`max-age=${sts.AccessControlMaxAgeSec}`, ...(sts.IncludeSubdomains ? ['includeSubDomains'] : []), ...(sts.Preload ? ['preload'] : [])].join('; '),
      ...Object.fromEntries((c.CustomHeadersConfig?.Items ?? []).map((h: { Header: string; Value: string }) => [h.Header, h.Value])),
    };
    expect(sent).toEqual(SECURITY_HEADERS);
    for (const setting of [s.ContentSecurityPolicy, s.ReferrerPolicy, s.ContentTypeOptions, s.FrameOptions, sts]) expect(setting.Override).toBe(true);
    const d = distribution();
    for (const behavior of [d.DefaultCacheBehavior, ...d.CacheBehaviors]) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('logs nothing, and passes /api/* to the API uncached, without cookies, query or viewer headers', () => {
    const d = distribution();
    expect(d.Logging).toBeUndefined();
    expect(d.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const api = d.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(api.AllowedMethods).toHaveLength(7);
    const policies = appT.findResources('AWS::CloudFront::OriginRequestPolicy');
    const request = policies[api.OriginRequestPolicyId.Ref]!.Properties.OriginRequestPolicyConfig;
    expect(request.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(request.HeadersConfig.Headers.sort()).toEqual(['content-type', ...Object.values(SIGNATURE_HEADERS)].sort());
    expect(request.CookiesConfig.CookieBehavior).toBe('none');
    expect(request.QueryStringsConfig.QueryStringBehavior).toBe('none');
  });

  it('routes /files/* on the same origin to the evidence bucket: uncached, query string only, with the same headers', () => {
    const d = distribution();
    const files = d.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/files/*');
    expect(files.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(files.ViewerProtocolPolicy).toBe('https-only');
    expect(files.ResponseHeadersPolicyId).toEqual(d.DefaultCacheBehavior.ResponseHeadersPolicyId);
    const request = appT.findResources('AWS::CloudFront::OriginRequestPolicy')[files.OriginRequestPolicyId.Ref]!.Properties.OriginRequestPolicyConfig;
    expect(request.HeadersConfig.HeaderBehavior).toBe('none');
    expect(request.CookiesConfig.CookieBehavior).toBe('none');
    expect(request.QueryStringsConfig.QueryStringBehavior).toBe('all');
    const origin = d.Origins.find((o: { Id: string }) => o.Id === files.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain('RegionalDomainName');
    expect(origin.S3OriginConfig).toBeUndefined(); // no origin access control: the presigned signature authorizes
  });

  it('keeps the site bucket private, read by CloudFront only', () => {
    appT.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.absent(),
    });
    appT.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('deploys channels.json, the keys the browser trusts, and per-post.txt, the paper route, beside the app', () => {
    const deployment = Object.values(appT.findResources('Custom::CDKBucketDeployment'))[0]!.Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(3); // the built app, channels.json and per-post.txt
    expect(deployment.DistributionPaths.sort()).toEqual(['/', '/channels.json', '/index.html', '/meldpunt-manifest.txt', '/meldpunt-manifest.txt.asc', '/per-post.txt']);
    const paper = readdirSync(outdir)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(outdir, d, 'per-post.txt'))
      .filter(existsSync);
    expect(paper.map((f) => readFileSync(f, 'utf8'))).toEqual([paperText(config)]);
    const staged = readdirSync(outdir)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(outdir, d, 'channels.json'))
      .filter(existsSync);
    expect(staged).toHaveLength(1);
    expect(JSON.parse(readFileSync(staged[0]!, 'utf8'))).toEqual(publicChannels(config));
  });
});

describe('mail and schedule', () => {
  it('verifies the configured sender in SES', () => {
    appT.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: TEST_SENDER });
  });

  it('runs the daily job once a day', () => {
    appT.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(stateless.functions.byName.daily), 'Arn'] } })],
    });
  });

  it('runs the notices job every hour on the hour', () => {
    appT.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(stateless.functions.byName.notices), 'Arn'] } })],
    });
  });

  it('lets no reporter function send mail: what a reporter does is announced on the hour', () => {
    const mailers = ALL.filter((name) => statementsOf(name).flatMap(actions).some((a) => a.startsWith('ses:')));
    expect(mailers.sort()).toEqual(['daily', 'notices', 'officer']);
  });

  it('tells the operator where the drop box is', () => {
    appT.hasOutput('Url', { Value: Match.anyValue() });
  });
});
