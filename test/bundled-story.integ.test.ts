/**
 * What is deployed is what is tested: every function bundle CDK deploys (`health`, `challenge`,
 * `submit`, `reporter-case`, `officer`, `daily`, `notices`), built by `bundleFunction` and each run in a
 * process of its own with only a Lambda environment, behind the local adapter as API Gateway v2
 * events. DynamoDB, S3 and SES are the local stand-ins, reached through the SDK's standard endpoint
 * variables (a TCP port in front of each one's socket); KMS, which has none, is answered by a test stand-in speaking KMS's JSON protocol. One
 * story goes through them: a report with a file, a follow-up, an officer reply, an escalation to
 * CLB, and the daily and hourly jobs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDefine, bundleFunction, entryOf } from '../infra/constructs/functions.ts';
import { FUNCTIONS, type FunctionName } from '../functions/routes.ts';
import { createLocalServer } from '../functions/local/server.ts';
import { BUCKET } from '../functions/local/s3.ts';
import type { HttpEvent, HttpResult } from '../functions/http.ts';
import { keyFactsOf } from '../shared/config/key-facts.ts';
import { paperText, publicChannels } from '../shared/config/schema.ts';
import { downloadFile, openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import { startKmsStandIn, type KmsStandIn } from './support/kms-stand-in.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { tcpBridge, type Bridge } from './support/bridge.ts';

const SCHEDULED = ['daily', 'notices'] as const;
type Deployed = FunctionName | (typeof SCHEDULED)[number];

let stack: TestStack;
let kms: KmsStandIn;
let work: string;
let site: Server;
let url: string;
let bridges: Record<'dynamodb' | 'ses' | 's3', Bridge>;
const hosts = new Map<Deployed, ChildProcess>();
const logs = new Map<Deployed, string>();

/** One Lambda: the bundle imported in a process of its own; each message is one invocation. */
const HOST = `
const { handler } = await import(process.argv[2]);
process.on('message', async ({ id, event }) => {
  try {
    process.send({ id, result: await handler(event) });
  } catch (e) {
    process.send({ id, error: String(e && e.name) });
  }
});
process.send({ ready: true });
`;

let next = 0;
function invoke(name: Deployed, event: unknown): Promise<HttpResult | undefined> {
  const id = next++;
  const host = hosts.get(name)!;
  return new Promise((resolve, reject) => {
    const answer = (m: { id?: number; result?: HttpResult; error?: string }) => {
      if (m.id !== id) return;
      host.off('message', answer);
      if (m.error) reject(new Error(`${name} failed: ${m.error}`));
      else resolve(m.result);
    };
    host.on('message', answer);
    host.send({ id, event });
  });
}

beforeAll(async () => {
  stack = await startStack();
  kms = await startKmsStandIn();
  const [dynamodb, ses, s3] = await Promise.all([stack.local.dynamo.socketPath, stack.local.mail.socketPath, stack.local.s3.socketPath].map(tcpBridge));
  bridges = { dynamodb: dynamodb!, ses: ses!, s3: s3! };
  work = mkdtempSync(join(tmpdir(), 'meldpunt-deployed-'));
  writeFileSync(join(work, 'host.mjs'), HOST);
  const define = bundleDefine(JSON.stringify(stack.config), JSON.stringify(await keyFactsOf(stack.config)));
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    // s3rver's credentials: the file gate checks the bundle's presigned URLs against them, as S3 would.
    AWS_ACCESS_KEY_ID: stack.local.s3.signing.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.local.s3.signing.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: bridges.dynamodb.url,
    AWS_ENDPOINT_URL_SES: bridges.ses.url,
    AWS_ENDPOINT_URL_S3: bridges.s3.url,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    TABLE_NAME: stack.local.tableName,
    BUCKET_NAME: BUCKET,
    LOOKUP_KEY_ID: 'alias/lookup',
    POW_KEY_ID: 'alias/pow',
    PROOF_KEY_ID: 'alias/proof',
    MAIL_FROM: stack.config.mail.from,
  };
  for (const name of [...FUNCTIONS, ...SCHEDULED]) {
    const dir = join(work, name);
    mkdirSync(dir);
    bundleFunction(entryOf(name), dir, define);
    const host = fork(join(work, 'host.mjs'), [join(dir, 'index.mjs')], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    logs.set(name, '');
    host.stdout!.on('data', (c: Buffer) => logs.set(name, logs.get(name) + c.toString()));
    host.stderr!.on('data', (c: Buffer) => logs.set(name, logs.get(name) + c.toString()));
    await new Promise((ok) => host.once('message', ok));
    hosts.set(name, host);
  }
  const forward = (name: FunctionName) => async (event: HttpEvent) => (await invoke(name, event))!;
  site = createLocalServer({
    handlers: { health: forward('health'), challenge: forward('challenge'), submit: forward('submit'), 'reporter-case': forward('reporter-case'), officer: forward('officer') },
    webRoot: join(work, 'no-site'),
    channelsJson: JSON.stringify(publicChannels(stack.config)),
    paperText: paperText(stack.config),
    // The bundle signs its URLs for the host it was given: the bridge's.
    files: { socketPath: stack.local.s3.socketPath, bucket: BUCKET, signing: { ...stack.local.s3.signing, host: new URL(bridges.s3.url).host }, faults: { failParts: 0 } },
  });
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  for (const host of hosts.values()) host.kill();
  await new Promise((ok) => site?.close(ok));
  await kms?.stop();
  await Promise.all(Object.values(bridges ?? {}).map((b) => b.close()));
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the deployed bundles, as Lambda runs them', () => {
  it('carry a report with a file, a follow-up, a reply, an escalation and the daily jobs', async () => {
    const channels = publicChannels(stack.config);
    const api = { base: url };
    const evidence = randomBytes(200_000);
    const filed = await submitReport({ api, channels, report: { ...sampleReport('Via de gebundelde functies.'), consent: { clb: 'conversation' } }, files: [{ blob: new Blob([evidence]), name: 'bewijs.bin', type: 'application/octet-stream' }] });
    expect(filed.failedFiles).toEqual([]);
    // The lookup HMAC, the proof of work and the proof of reporting went through KMS.
    expect(new Set(kms.calls)).toEqual(new Set(['GenerateMac', 'Sign']));

    const opened = await openCase({ api, channels, code: filed.code });
    await postMessage(opened.session, 'Nog een aanvulling.');

    const officer = officerCli({ ...stack, url }, stack.officer);
    const listed = await officer('cases');
    const caseId = /^([0-9A-Z]{16})\b/m.exec(listed.split('\n').slice(1).join('\n'))![1]!;
    await officer('ack', caseId);
    await officer('reply', caseId, '--message', 'Dank u, wij kijken ernaar.');
    await officer('escalate', caseId, '--to', 'clb');
    const shown = await officer('show', caseId);
    expect(shown).toContain('Via de gebundelde functies.');
    expect(shown).toContain('Nog een aanvulling.');
    expect(shown).not.toContain('NOT VERIFIED');

    const clbShown = await officerCli({ ...stack, url }, stack.clb)('show', caseId);
    expect(clbShown).toContain('Escalation of case');

    // The reporter reads the reply and gets the file back, byte for byte, through the gate.
    const again = await openCase({ api, channels, code: filed.code });
    expect(again.thread.some((e) => e.payload?.kind === 'reply' && e.signature.status === 'verified')).toBe(true);
    const ref = again.thread[0]!.payload!.kind === 'report' ? (again.thread[0]!.payload as { files: Array<{ id: string; size: number; sha256: string }> }).files[0]! : null;
    const chunks: Uint8Array[] = [];
    const check = await downloadFile(again.session, ref!, (c) => void chunks.push(c));
    expect(check.status).toBe('verified');
    expect(sha(Buffer.concat(chunks))).toBe(sha(evidence));

    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    await invoke('daily', {});
    await invoke('notices', {});
    expect(logs.get('daily')).toMatch(/daily: reminded \d+ channel\(s\)/);
    expect(logs.get('notices')).toMatch(/notices: mailed \d+ channel\(s\), 0 failed/);
    for (const [name, log] of logs) expect(log, name).not.toMatch(/internal error/);
  });
});
