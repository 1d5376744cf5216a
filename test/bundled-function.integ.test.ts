/**
 * A deploy bundle, run as Lambda would run it: the notices function built by `bundleFunction`
 * (the AWS SDK inside, SES in a chunk of its own), imported from outside the project with only a
 * Lambda-like environment, its DynamoDB and SES calls sent to the local stack's dynalite and SES
 * stand-in through the SDK's standard endpoint variables (a TCP port in front of each one's socket). The other tests run the sources; this
 * one shows the bundled SDK reads credentials, queries the index, updates items and sends mail.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDefine, bundleFunction, entryOf } from '../infra/constructs/functions.ts';
import { NOTICES } from '../functions/mail/mailer.ts';
import { keyFactsOf } from '../shared/config/key-facts.ts';
import { fileReport } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { tcpBridge, type Bridge } from './support/bridge.ts';

let stack: TestStack;
let out: string;
let dynamo: Bridge;
let ses: Bridge;
beforeAll(async () => {
  stack = await startStack();
  dynamo = await tcpBridge(stack.local.dynamo.socketPath);
  ses = await tcpBridge(stack.local.mail.socketPath);
  out = mkdtempSync(join(tmpdir(), 'meldpunt-bundle-'));
  bundleFunction(entryOf('notices'), out, bundleDefine(JSON.stringify(stack.config), JSON.stringify(await keyFactsOf(stack.config))));
});
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await Promise.all([dynamo?.close(), ses?.close()]);
  await stack?.stop();
});

/** Not spawnSync: the stack answers from this process, whose event loop must keep running. */
function invoke(): Promise<{ stdout: string; stderr: string; status: number }> {
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_SES: ses.url,
    TABLE_NAME: stack.local.tableName,
    BUCKET_NAME: 'unused',
    LOOKUP_KEY_ID: 'unused',
    POW_KEY_ID: 'unused',
    PROOF_KEY_ID: 'unused',
    MAIL_FROM: stack.config.mail.from,
  };
  const script = `const { handler } = await import(${JSON.stringify(join(out, 'index.mjs'))}); await handler({});`;
  return new Promise((resolve) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, status: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    ),
  );
}

describe('the bundled notices function', () => {
  it('finds an unannounced report in dynalite, mails its channel through SES once, and records it', async () => {
    const channel = stack.config.channels[0]!;
    await fileReport(stack, 'Melding voor de gebundelde functie.', { channel: channel.id });
    const before = (await stack.sentMail()).length;

    const first = await invoke();
    expect(first.status, first.stderr.slice(0, 500)).toBe(0);
    expect(first.stdout).toContain('notices: mailed 1 channel(s), 0 failed');
    const mail = (await stack.sentMail()).slice(before);
    expect(mail.map((m) => [m.destination.to, m.subject])).toEqual([[channel.recipients.map((r) => r.email), NOTICES.waiting.subject]]);

    // Recorded in the table by the bundle: neither it nor the sources find anything left to announce.
    const again = await invoke();
    expect(again.stdout).toContain('notices: mailed 0 channel(s), 0 failed');
    expect(await stack.local.runNotices()).toEqual({ mailed: [], failed: [] });
  });
});
