/**
 * `npm run bench`: how many submissions per second the local stack sustains.
 *
 * The server runs as `npm start` runs it, in its own process, persisted to disk. 8 clients submit
 * for BENCH_SECONDS (default 60). To measure the server rather than the clients, each client reuses
 * one pre-encrypted ~10 KB report and key pair, and pays only a fresh access key and a proof of work
 * (difficulty 8) per submission; the server still does every check it always does. The clients
 * speak HTTP through node:http with keep-alive, as the AWS SDK does for the ceiling below: fetch
 * (undici) costs them three to four times the CPU per request, which on a small machine is CPU
 * the server does not get. Afterwards the
 * stored cases are counted straight from the table and compared with the acknowledged ones.
 * In the same run, in turns of 10 s with the submissions: raw dynalite PutItem per second for items
 * of the same size from the same 8 clients, the ceiling. Also printed: the CPU time the server
 * process and these clients used while submitting (Linux), to read the ratio by: on a small machine
 * the clients' share is CPU the server did not get.
 * BENCH_PROFILE=DIR writes the server's CPU profile there; BENCH_DEBUG=1 shows its output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { generateCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { startDynalite, TABLE_NAME } from '../../functions/local/dynamo.ts';
import { createDemo } from '../../functions/local/demo.ts';
import { buildSubmission } from '../support/reports.ts';
import { challengeSchema } from '../../shared/schemas/api.ts';
import { solveChallenge } from '../../shared/protocol/pow.ts';
import { configSchema } from '../../shared/config/schema.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WINDOW_SECONDS = 10;
const CLIENTS = 8;
const PORT = 18080;
const root = resolve(import.meta.dirname, '../..');

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none. */
function processCpu(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks of 1/100 s (USER_HZ on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function waitForHealth(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the local stack did not start');
}

/** The local stack as `npm start` runs it, in its own process, with the demo set-up at difficulty 8 (see above). */
async function startServer(home: string) {
  const demo = await createDemo(home, 8);
  writeFileSync(join(home, 'meldpunt.config.json'), JSON.stringify(demo.config));
  const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', join(root, 'functions/local/main.ts')], {
    env: { ...process.env, MELDPUNT_HOME: home, PORT: String(PORT), MAIL_PORT: String(PORT + 1), MELDPUNT_CONFIG: '' },
    stdio: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
  });
  const exited = new Promise((r) => server.once('exit', r));
  const url = `http://127.0.0.1:${PORT}`;
  try {
    await Promise.race([waitForHealth(url), exited.then(() => Promise.reject(new Error('the local stack exited; run with BENCH_DEBUG=1')))]);
  } catch (error) {
    server.kill('SIGTERM');
    throw error;
  }
  return {
    url,
    pid: server.pid,
    config: configSchema.parse(demo.config),
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** One POST of a JSON body over a kept-alive connection: its status and parsed answer. */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` on `CLIENTS` concurrent clients until `ms` have passed; returns how many calls completed. */
async function clientsFor(ms: number, work: () => Promise<void>) {
  const end = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        await work();
        done++;
      }
    }),
  );
  return done;
}

async function storedCases(home: string) {
  const dynamo = await startDynalite(join(home, 'table'));
  try {
    let count = 0;
    let start: Record<string, never> | undefined;
    do {
      const out = await dynamo.client.send(new ScanCommand({ TableName: TABLE_NAME, Select: 'COUNT', ExclusiveStartKey: start }));
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey as typeof start;
    } while (start);
    return count;
  } finally {
    await dynamo.stop();
  }
}

/**
 * Submissions and raw PutItem in turns of `WINDOW_SECONDS`, each side `SECONDS` in all: the
 * machine's speed drifts (here by up to 1.5x within minutes), and taking turns lets both sides of
 * the ratio meet the same drift. Nothing else runs while one side does.
 */
async function measure(home: string) {
  const server = await startServer(home);
  const raw = await startDynalite(join(home, 'raw'));
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const template = await buildSubmission(server.url, server.config, { text: 'x'.repeat(10_000) });
    const itemBytes = template.body.message.length + template.body.reporterPublicKey.length + template.body.lockedPrivateKey.length;
    const doc = 'x'.repeat(itemBytes);
    const latencies: number[] = [];
    let acknowledged = 0;
    let refused = 0;
    let puts = 0;
    let n = 0;
    const cpu: { server: number | null; clients: number } = { server: 0, clients: 0 };
    for (let left = SECONDS; left > 0; left -= WINDOW_SECONDS) {
      const window = Math.min(WINDOW_SECONDS, left) * 1000;
      const serverCpu = processCpu(server.pid);
      const clientCpu = process.cpuUsage();
      await clientsFor(window, async () => {
        const { accessKey } = await deriveCodeKeys(generateCode());
        const challenge = challengeSchema.parse((await post(agent, `${server.url}/api/challenge`, '{"purpose":"submit"}')).json);
        const pow = { token: challenge.token, nonce: await solveChallenge(challenge, accessKey) };
        const body = JSON.stringify({ ...template.body, accessKey, pow });
        const start = performance.now();
        const res = await post(agent, `${server.url}/api/reports`, body);
        latencies.push(performance.now() - start);
        if (res.status === 201) acknowledged++;
        else refused++;
      });
      const serverNow = processCpu(server.pid);
      const clients = process.cpuUsage(clientCpu);
      cpu.server = cpu.server === null || serverCpu === null || serverNow === null ? null : cpu.server + serverNow - serverCpu;
      cpu.clients += (clients.user + clients.system) / 1e6;
      puts += await clientsFor(window, async () => {
        await raw.client.send(
          new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: `raw-${n++}` }, sk: { S: 'case' }, doc: { S: doc } }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      });
    }
    return { acknowledged, refused, puts, cpu, itemBytes, latencies: latencies.sort((a, b) => a - b) };
  } finally {
    agent.destroy();
    await raw.stop();
    await server.stop();
  }
}

const home = mkdtempSync(join(tmpdir(), 'meldpunt-bench-'));
try {
  console.log(`Submitting for ${SECONDS} s with ${CLIENTS} concurrent clients on ${cpus().length} cores...`);
  const run = await measure(home);
  const stored = await storedCases(home);
  const raw = run.puts;
  const f = (n: number) => n.toFixed(1);
  console.log(
    [
      '',
      `submissions/s (sustained):   ${f(run.acknowledged / SECONDS)}`,
      `latency p50 / p99:           ${f(percentile(run.latencies, 50))} ms / ${f(percentile(run.latencies, 99))} ms`,
      `acknowledged / stored:       ${run.acknowledged} / ${stored} ${run.acknowledged === stored ? '(equal)' : '(NOT EQUAL)'}`,
      `refused:                     ${run.refused}`,
      `cpu in the window:           server ${run.cpu.server === null ? '?' : run.cpu.server.toFixed(1)} s, clients ${run.cpu.clients.toFixed(1)} s (of ${SECONDS} s x ${cpus().length} cores)`,
      `raw dynalite PutItem/s:      ${f(raw / SECONDS)} (items of ${run.itemBytes} bytes, same ${CLIENTS} clients)`,
      `ratio:                       ${(run.acknowledged / raw).toFixed(2)} of the ceiling (submissions against raw PutItem)`,
      '',
    ].join('\n'),
  );
  if (run.acknowledged !== stored) process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
