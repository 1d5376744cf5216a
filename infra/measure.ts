/**
 * Figures for a deploy: `cdk synth` wall time, each function bundle's size, and each bundle's cold
 * module-load time in Node (a fresh process importing it, median of 10).
 *
 *   npx tsx infra/measure.ts
 *
 * Uses MELDPUNT_CONFIG or ./meldpunt.config.json; without either, a generated test config (keys
 * made on the spot). Needs the built web app (`npm run build:web`). Loading runs each bundle's
 * top level, which is what a cold start pays before the first request. Each function's asset is
 * `index.mjs` and its chunks, the AWS SDK included (infra/constructs/functions.ts); it is imported
 * where it lies, outside the project, so nothing can come from node_modules. No AWS call is made.
 * `all files` is the whole asset; `at start` what a cold start compiles (index.mjs and the chunks
 * it imports statically; the others load when a request first needs them); `without SDK` the same
 * build with the AWS SDK left out, which is how the functions were measured before it was bundled.
 *
 * The last line keeps the form and the meaning it had when the goals were set (at most 300 KB, at
 * most 100 ms): `largest bundle` is the largest `without SDK` (then the runtime's SDK was used, and
 * the bundle was our code, its libraries and the config); `slowest import` is the slowest cold
 * import as deployed now, the bundled SDK's loading included. The line before it gives the sizes
 * with the SDK.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { FUNCTIONS, SCHEDULED } from '../functions/routes.ts';
import { keyFactsOf } from '../shared/config/key-facts.ts';
import { parseConfig } from '../shared/config/load.ts';
import { bundleDefine, bundleOptions, entryOf, filesAtStart } from './constructs/functions.ts';
import { testConfig } from './fixture.ts';

const RUNS = 10;
const root = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'meldpunt-measure-'));

let configPath = process.env.MELDPUNT_CONFIG ?? (existsSync(join(root, 'meldpunt.config.json')) ? join(root, 'meldpunt.config.json') : undefined);
if (!configPath) {
  configPath = join(out, 'meldpunt.config.json');
  writeFileSync(configPath, (await testConfig()).configJson);
  console.log('(no meldpunt.config.json: using a generated test config with three keys)');
}

const t0 = performance.now();
execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', join(out, 'cdk.out')], {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, MELDPUNT_CONFIG: configPath },
});
const synthSeconds = (performance.now() - t0) / 1000;

type Resource = { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, string> } } };
const template = JSON.parse(readFileSync(join(out, 'cdk.out', 'Meldpunt-App.template.json'), 'utf8')) as { Resources: Record<string, Resource> };
const env = { PATH: process.env.PATH, TABLE_NAME: 'meldpunt', BUCKET_NAME: 'files', LOOKUP_KEY_ID: 'k', POW_KEY_ID: 'p', PROOF_KEY_ID: 'r', MAIL_FROM: 'm@example.org', AWS_REGION: 'eu-west-1' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const names = [...FUNCTIONS, ...SCHEDULED].sort((a, b) => b.length - a.length);

console.log(`cdk synth (CLI, bundling ${FUNCTIONS.length + SCHEDULED.length} functions, cdk-nag): ${synthSeconds.toFixed(1)} s\n`);
const config = await parseConfig(readFileSync(configPath, 'utf8'), configPath);
const define = bundleDefine(JSON.stringify(config), JSON.stringify(await keyFactsOf(config)));
/** The same bundle with the AWS SDK left out: our code, zod and the config, as the functions carried them before the SDK was bundled in. */
const withoutSdk = (name: string) =>
  buildSync({ ...bundleOptions(entryOf(name), join(out, 'without-sdk', name), define), external: ['@aws-sdk/*', '@smithy/*', '@aws/*'], write: false })
    .outputFiles.filter((f) => f.path.endsWith('.mjs'))
    .reduce((n, f) => n + f.contents.length, 0);

console.log(`function        all files   gzip    at start   without SDK   import (median of ${RUNS})   process (median of ${RUNS})`);
let largest = 0;
let largestAtStart = 0;
let largestAll = 0;
let slowest = 0;
for (const [id, resource] of Object.entries(template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::Function' || !resource.Properties.Environment?.Variables?.TABLE_NAME) continue;
  const asset = resource.Metadata?.['aws:asset:path'];
  if (!asset) throw new Error(`${id}: no asset path in the template metadata`);
  const name = names.find((n) => id.startsWith(`Functions${n.replace(/-/g, '')}`)) ?? id;
  const dir = join(out, 'cdk.out', asset);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
  const size = (f: string) => statSync(join(dir, f)).size;
  // As in Lambda: NODE_OPTIONS from the function's environment, if it sets any.
  const options = resource.Properties.Environment.Variables.NODE_OPTIONS;
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const script = `const t = performance.now(); await import(${JSON.stringify(join(dir, 'index.mjs'))}); console.log(performance.now() - t);`;
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env: { ...env, NODE_OPTIONS: options }, encoding: 'utf8' });
    processes.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`${name} failed to load: ${(run.stderr.split('\n').find((l) => /^\w*Error/.test(l)) ?? run.stderr).slice(0, 300)}`);
    imports.push(Number(run.stdout.trim().split('\n').pop()));
  }
  const all = files.reduce((n, f) => n + size(f), 0);
  const start = filesAtStart(dir).reduce((n, f) => n + size(f), 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`.padStart(7);
  const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(7);
  const own = withoutSdk(name);
  console.log(`${name.padEnd(14)}${kb(all)}   ${kb(gzip)}  ${kb(start)}      ${kb(own)}     ${ms(median(imports))}                ${ms(median(processes))}`);
  largest = Math.max(largest, own);
  largestAtStart = Math.max(largestAtStart, start);
  largestAll = Math.max(largestAll, all);
  slowest = Math.max(slowest, median(imports));
}
rmSync(out, { recursive: true, force: true });
const inKb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(`with the AWS SDK bundled in: largest ${inKb(largestAtStart)} loaded at start, ${inKb(largestAll)} in all`);
console.log(`largest bundle: ${inKb(largest)}, slowest import: ${slowest.toFixed(0)} ms`);
