/**
 * Figures for the deploy: `cdk synth` wall time, each function bundle's size, and each bundle's cold
 * module-load time in Node (a fresh process importing it, median of 10). Run: npx tsx infra/measure.ts
 * (needs a config: MELDPUNT_CONFIG or ./meldpunt.config.json, and web/dist).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'cdk.out');
const t0 = performance.now();
execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'ignore' });
const synthSeconds = (performance.now() - t0) / 1000;

const template = JSON.parse(readFileSync(join(out, 'Meldpunt-App.template.json'), 'utf8')) as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, string> } } }>;
};
const env = { ...process.env, TABLE_NAME: 'meldpunt', LOOKUP_KEY_ID: 'k', POW_KEY_ID: 'p', MAIL_FROM: 'm@example.org', AWS_REGION: 'eu-west-1' };
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`cdk synth: ${synthSeconds.toFixed(1)} s\n`);
console.log('function        bundle (min)   cold import (median of 10)');
for (const [id, resource] of Object.entries(template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::Function' || !resource.Properties.Environment?.Variables?.TABLE_NAME) continue;
  const asset = resource.Metadata?.['aws:asset:path'];
  if (!asset) continue;
  // Lambda provides @aws-sdk/*; here the project's node_modules stand in, so load the bundle from inside the project.
  const file = join(root, `.measure-${id}.mjs`);
  copyFileSync(join(out, asset, 'index.mjs'), file);
  const name = /Functions(.+?)[0-9A-F]{8}$/.exec(id)?.[1] ?? id;
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${name} failed to load: ${(run.stderr.split('\n').find((l) => /^\w*Error/.test(l)) ?? run.stderr).slice(0, 300)}`);
    times.push(Number(run.stdout.trim().split('\n').pop()));
  }
  const size = statSync(file).size;
  rmSync(file);
  console.log(`${name.padEnd(16)}${(size / 1024).toFixed(0).padStart(8)} KB   ${median(times).toFixed(0).padStart(6)} ms`);
}
