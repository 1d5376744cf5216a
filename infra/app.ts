/**
 * `npx cdk synth` / `npx cdk deploy --all`: reads meldpunt.config.json (path from context `config`
 * or MELDPUNT_CONFIG) and the built web app (web/dist; run `npm run build:web` first).
 */
import { App } from 'aws-cdk-lib';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../shared/config/load.ts';
import { buildApp } from './build.ts';

const app = new App();
const configPath = resolve(app.node.tryGetContext('config') ?? process.env.MELDPUNT_CONFIG ?? 'meldpunt.config.json');
if (!existsSync(configPath)) {
  console.error(`No config at ${configPath}. Copy and edit one (see docs/deploy.md), or pass -c config=PATH.`);
  process.exit(1);
}
const webDist = resolve(import.meta.dirname, '../web/dist');
if (!existsSync(resolve(webDist, 'index.html'))) {
  console.error('The web app is not built: run `npm run build:web` first.');
  process.exit(1);
}
const configJson = readFileSync(configPath, 'utf8');
const config = await parseConfig(configJson, configPath);
buildApp({
  app,
  config,
  configJson,
  webDist,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' },
});
app.synth();
