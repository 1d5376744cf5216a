/** Builds reporter requests piece by piece, so tests can get each piece wrong on purpose. */
import type * as openpgp from 'openpgp';
import { challengeSchema, type SubmitRequest } from '../../shared/schemas/api.ts';
import { generateCode, type RetrievalCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys, type AccessKey } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateReporterKey, readPublicKey, type ReporterKey } from '../../shared/protocol/keys.ts';
import { solveChallenge } from '../../shared/protocol/pow.ts';
import type { Config } from '../../shared/config/schema.ts';
import { submitReport, type OutgoingFile, type ReportInput } from '../../shared/client/reporter.ts';
import { publicChannelsSchema } from '../../shared/config/schema.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import type { TestStack } from './stack.ts';

export async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

export async function proof(base: string, purpose: 'submit' | 'open', accessKey: string) {
  const { json } = await post(base, '/api/challenge', { purpose });
  const challenge = challengeSchema.parse(json);
  return { token: challenge.token, nonce: await solveChallenge(challenge, accessKey) };
}

export interface Built {
  code: RetrievalCode;
  accessKey: AccessKey;
  body: SubmitRequest;
  reporterKey: openpgp.PrivateKey;
}

/** A valid submission, unless `encryptTo` or `payload` say otherwise. */
export async function buildSubmission(
  base: string,
  config: Config,
  options: { channel?: string; encryptTo?: openpgp.PublicKey[]; onlyToReporter?: boolean; text?: string; key?: ReporterKey } = {},
): Promise<Built> {
  const channel = options.channel ?? config.channels[0]!.id;
  const code = generateCode();
  const { accessKey, unlockPassphrase } = await deriveCodeKeys(code);
  const key = options.key ?? (await generateReporterKey(unlockPassphrase));
  const channelConfig = config.channels.find((c) => c.id === channel) ?? config.channels[0]!;
  const officers = await Promise.all(channelConfig.recipients.map((r) => readPublicKey(r.publicKey)));
  const message = await sealPayload({
    payload: {
      v: 1,
      kind: 'report',
      lang: 'nl',
      channel,
      category: 'misstand',
      track: 'wbk',
      answers: { what: options.text ?? 'Er wordt met geld gesjoemeld.', where: { level: 'landelijk', detail: '' } },
      conversation: 'none',
      contact: '',
      consent: { clb: 'none' },
      attachments: [],
      reporterFingerprint: key.fingerprint,
    },
    signingKey: key.unlocked,
    encryptionKeys: options.encryptTo ?? (options.onlyToReporter ? [key.unlocked.toPublic()] : [...officers, key.unlocked.toPublic()]),
  });
  const body: SubmitRequest = {
    v: 1,
    accessKey,
    channel,
    reporterPublicKey: key.publicKey,
    lockedPrivateKey: key.lockedPrivateKey,
    message,
    pow: await proof(base, 'submit', accessKey),
  };
  return { code, accessKey, body, reporterKey: key.unlocked };
}

/** A minimal report as the web form would fill it in. */
export const sampleReport = (what: string): ReportInput => ({
  lang: 'nl',
  channel: 'integriteit',
  category: 'integriteitsschending',
  track: 'code',
  answers: { what, where: { level: 'afdeling', detail: 'Afdeling Noord' } },
  conversation: 'none',
  consent: { clb: 'none' },
});

/** A report filed as the web app files it (the shared client), with its code and the case id the officer sees. */
export async function fileReport(
  stack: TestStack,
  what: string,
  over: Partial<ReportInput> = {},
  files: OutgoingFile[] = [],
  spy?: typeof fetch,
): Promise<{ code: RetrievalCode; caseId: string }> {
  const channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
  const { code } = await submitReport({ api: { base: stack.url, fetch: spy }, channels, report: { ...sampleReport(what), ...over }, files });
  return { code, caseId: await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey) };
}
