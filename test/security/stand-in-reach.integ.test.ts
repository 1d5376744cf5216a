/**
 * Attack: the stand-ins behind the local stack listened on TCP ports of 127.0.0.1 and check no
 * signature. dynalite answered any web page's CORS preflight, s3rver and the SES API took requests
 * from anyone, and one request ended the whole stack: a GET of the mail page's
 * `/get-emlContent` without a known id (an `<img>` on any site can send it), or a request to
 * dynalite cut off midway. Now dynalite, s3rver and the SES API listen on sockets in a folder only
 * this user can open; the mail page's port answers the mail page alone; and the URLs the file gate
 * accepts are signed with a secret of this installation, not s3rver's published one.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownOrigin, S3_CLIENT_OPTIONS } from '../../functions/files/object-store.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { objectKey } from '../../functions/services/files.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { reportWithFiles } from '../support/uploads.ts';

/** TCP ports this process listens on (Linux: its socket inodes, found in /proc/net/tcp*). */
function listeningPorts(): Set<number> {
  const inodes = new Set(
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter((i): i is string => i !== undefined),
  );
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is f[1] (hex ip:port), st is f[3] (0A = LISTEN), inode is f[9].
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

type Answer = { status: number; body: string };
/** One HTTP request to a TCP port or a socket, with exactly these headers. */
function ask(to: { port: number } | { socketPath: string }, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((ok, fail) => {
    const target = 'port' in to ? { host: '127.0.0.1', port: to.port } : { socketPath: to.socketPath };
    request({ ...target, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => ok({ status: res.statusCode!, body: text }));
    })
      .on('error', fail)
      .end(body);
  });
}

/** What dynalite, s3rver and the SES API each answer to one of their own requests. */
const PROBES = [
  {
    name: 'DynamoDB',
    send: (to: { port: number } | { socketPath: string }) =>
      ask(to, 'POST', '/', { host: 'localhost', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', 'x-amz-date': '20260101T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' }, '{}'),
    answered: (a: Answer) => a.body.includes('TableNames'),
  },
  {
    name: 'S3',
    send: (to: { port: number } | { socketPath: string }) => ask(to, 'GET', '/', { host: 'localhost', 'x-amz-date': '20260101T000000Z' }),
    answered: (a: Answer) => a.body.includes('ListAllMyBucketsResult'),
  },
  {
    name: 'SES',
    send: (to: { port: number } | { socketPath: string }) =>
      ask(to, 'GET', '/v2/email/templates', { host: 'localhost', authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/eu-west-1/ses/aws4_request' }),
    answered: (a: Answer) => a.status === 200 && a.body.includes('TemplatesMetadata'),
  },
];

let stack: TestStack;
let before: Set<number>;
beforeAll(async () => {
  before = listeningPorts();
  stack = await startStack();
});
afterAll(() => stack?.stop());

const mailPort = () => Number(new URL(stack.mailUrl).port);
const storeSize = async () => (await stack.sentMail()).length;

describe('the stand-ins behind the local stack', () => {
  it('are on sockets in a folder only this user can open: the stack listens on TCP for the site and the mail page alone', async () => {
    const opened = [...listeningPorts()].filter((p) => !before.has(p)).sort();
    expect(opened).toEqual([Number(new URL(stack.url).port), mailPort()].sort());
    for (const socketPath of [stack.local.dynamo.socketPath, stack.local.s3.socketPath, stack.local.mail.socketPath]) {
      const folder = statSync(dirname(socketPath));
      expect(folder.mode & 0o777, socketPath).toBe(0o700);
      expect(folder.uid).toBe(process.getuid!());
    }
    // The probes are real: each stand-in answers its own on its socket, and none answers on a TCP port.
    const sockets = [stack.local.dynamo.socketPath, stack.local.s3.socketPath, stack.local.mail.socketPath];
    for (const [i, probe] of PROBES.entries()) {
      const own = await probe.send({ socketPath: sockets[i]! });
      expect(probe.answered(own), `${probe.name}: ${own.status} ${own.body}`).toBe(true);
      for (const port of opened) expect(probe.answered(await probe.send({ port })), `${probe.name} on ${port}`).toBe(false);
    }
  });

  it('survive a request to dynalite cut off midway (it ended the process)', async () => {
    const items = await stack.countItems();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((done) => {
        const socket = connect(stack.local.dynamo.socketPath, () => {
          socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 100\r\n\r\n{"Li');
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => done()).on('error', () => undefined);
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(await stack.countItems()).toBe(items);
  });
});

describe('the mail page', () => {
  const page = (method: string, path: string, headers: Record<string, string> = {}, body = '') =>
    ask({ port: mailPort() }, method, path, { host: `127.0.0.1:${mailPort()}`, ...headers }, body);

  it('shows the list to itself, and survives /get-emlContent without a known id (which ended the whole stack)', async () => {
    expect((await page('GET', '/store')).status).toBe(200);
    for (const path of ['/get-emlContent', '/get-emlContent?messageId=', '/get-emlContent?messageId=nope', '/get-emlContent?messageId=a&messageId=b']) {
      const answer = await page('GET', path);
      expect(answer.status, path).toBe(403);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect((await page('GET', '/store')).status).toBe(200);
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
  });

  it('answers no other site\'s page, no other name for 127.0.0.1, and takes no mail', async () => {
    const mails = await storeSize();
    const refused: [string, string, Record<string, string>][] = [
      ['GET', '/store', { 'sec-fetch-site': 'cross-site' }],
      ['GET', '/store', { 'sec-fetch-site': 'same-site' }],
      ['GET', '/store', { origin: 'http://evil.example' }],
      ['GET', '/store', { host: `evil.example:${mailPort()}` }],
      ['GET', '/', { host: 'evil.example' }],
      ['POST', '/clear-store', {}],
      ['POST', '/clear-store', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['POST', '/', { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS x' }],
      ['POST', '/v2/email/outbound-emails', { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 x' }],
      ['GET', '/v2/email/account', { authorization: 'AWS4-HMAC-SHA256 x' }],
    ];
    for (const [method, path, headers] of refused) {
      const body = method === 'POST' && path === '/' ? 'Action=SendEmail&Source=a%40b.nl&Destination.ToAddresses.member.1=c%40d.nl&Message.Subject.Data=x&Message.Body.Text.Data=x' : '';
      const answer = await page(method, path, headers, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
    }
    expect(await storeSize()).toBe(mails);
    // Its own page, opened directly, still works.
    expect((await page('GET', '/', { 'sec-fetch-site': 'none' })).status).toBe(200);
    expect((await page('GET', '/store', { 'sec-fetch-site': 'same-origin', origin: stack.mailUrl })).status).toBe(200);
  });
});

describe('a file URL', () => {
  it('signed with s3rver\'s published secret is refused: the gate checks this installation\'s own', async () => {
    const sent = await reportWithFiles(stack, [new Uint8Array(2000).fill(7)]);
    const fileId = new URL(sent.urls[0]!, 'http://x').pathname.split('/')[3]!;
    const client = (secretAccessKey: string) =>
      new S3Client({ endpoint: `http://${stack.local.s3.signing.host}`, region: stack.local.s3.signing.region, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey }, ...S3_CLIENT_OPTIONS });
    const url = async (secret: string) => ownOrigin(await getSignedUrl(client(secret), new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(sent.caseId, fileId) }), { expiresIn: 60 }), BUCKET);
    expect(stack.local.s3.signing.secretAccessKey).not.toBe('S3RVER');
    const forged = await fetch(`${stack.url}${await url('S3RVER')}`);
    expect(forged.status).toBe(403);
    // The same URL signed with the installation's secret is the control: it reads.
    expect((await fetch(`${stack.url}${await url(stack.local.s3.signing.secretAccessKey)}`)).status).toBe(200);
  });
});
