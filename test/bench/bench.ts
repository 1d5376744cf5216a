/**
 * `npm run bench`: how many submissions per second the local stack sustains.
 *
 * The server runs as `npm start` runs it, in its own process, persisted to disk. 8 clients submit
 * for BENCH_SECONDS (default 60). To measure the server rather than the clients, each client reuses
 * one pre-encrypted ~10 KB report and key pair, and pays only a fresh access key and a proof of work
 * (difficulty 8) per submission; the server still does every check it always does. Afterwards the
 * stored cases are counted straight from the table and compared with the acknowledged ones.
 * In the same run: raw dynalite PutItem per second for items of the same size, the ceiling.
 * Also printed: the CPU time the server process and these clients used in the window (Linux), to
 * read the ratio by: on a small machine the clients' share is CPU the server did not get.
 * BENCH_PROFILE=DIR writes the server's CPU profile there; BENCH_DEBUG=1 shows its output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { generateCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { startDynalite, TABLE_NAME } from '../../functions/local/dynamo.ts';
import { createDemo } from '../../functions/local/demo.ts';
import { buildSubmission, proof } from '../support/reports.ts';
import { configSchema } from '../../shared/config/schema.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
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

async function submissions(home: string) {
  const url = `http://127.0.0.1:${PORT}`;
  // The same demo set-up npm start makes, with the proof of work at difficulty 8 (see above).
  const demo = await createDemo(home, 8);
  writeFileSync(join(home, 'meldpunt.config.json'), JSON.stringify(demo.config));
  const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', join(root, 'functions/local/main.ts')], {
    env: { ...process.env, MELDPUNT_HOME: home, PORT: String(PORT), MAIL_PORT: String(PORT + 1), MELDPUNT_CONFIG: '' },
    stdio: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
  });
  const exited = new Promise((r) => server.once('exit', r));
  try {
    await Promise.race([waitForHealth(url), exited.then(() => Promise.reject(new Error('the local stack exited; run with BENCH_DEBUG=1')))]);
    const template = await buildSubmission(url, configSchema.parse(demo.config), { text: 'x'.repeat(10_000) });
    const acknowledged: number[] = [];
    const latencies: number[] = [];
    let refused = 0;
    const serverCpu = processCpu(server.pid);
    const clientCpu = process.cpuUsage();
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < end) {
          const { accessKey } = await deriveCodeKeys(generateCode());
          const body = JSON.stringify({ ...template.body, accessKey, pow: await proof(url, 'submit', accessKey) });
          const start = performance.now();
          const res = await fetch(`${url}/api/reports`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
          await res.arrayBuffer();
          latencies.push(performance.now() - start);
          if (res.status === 201) acknowledged.push(1);
          else refused++;
        }
      }),
    );
    const serverNow = processCpu(server.pid);
    const clients = process.cpuUsage(clientCpu);
    const cpu = { server: serverCpu === null || serverNow === null ? null : serverNow - serverCpu, clients: (clients.user + clients.system) / 1e6 };
    return { cpu, acknowledged: acknowledged.length, refused, latencies: latencies.sort((a, b) => a - b), itemBytes: template.body.message.length + template.body.reporterPublicKey.length + template.body.lockedPrivateKey.length };
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
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

async function rawPutItem(home: string, itemBytes: number) {
  const dynamo = await startDynalite(join(home, 'raw'));
  const doc = 'x'.repeat(itemBytes);
  let puts = 0;
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < end) {
          const id = `raw-${n++}`;
          await dynamo.client.send(
            new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: id }, sk: { S: 'case' }, doc: { S: doc } }, ConditionExpression: 'attribute_not_exists(pk)' }),
          );
          puts++;
        }
      }),
    );
    return puts;
  } finally {
    await dynamo.stop();
  }
}

const home = mkdtempSync(join(tmpdir(), 'meldpunt-bench-'));
try {
  console.log(`Submitting for ${SECONDS} s with ${CLIENTS} concurrent clients on ${cpus().length} cores...`);
  const run = await submissions(home);
  const stored = await storedCases(home);
  const raw = await rawPutItem(home, run.itemBytes);
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
