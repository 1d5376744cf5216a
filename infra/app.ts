/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy --all`; see docs/deploy.md). Reads
 * meldpunt.config.json (from context `config`, else MELDPUNT_CONFIG, else ./meldpunt.config.json)
 * and the built web app in web/dist (`npm run build:web`). Synth needs neither AWS credentials nor
 * a network; deploy does.
 *
 * Context (`-c key=value` or cdk.json): `certificateArn`, an ACM certificate in us-east-1 for
 * config.domain; `verifySender=domain` to verify the sender's domain with DKIM instead of the address.
 */
import { App } from 'aws-cdk-lib';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../shared/config/load.ts';
import { keyFactsOf } from '../shared/config/key-facts.ts';
import { buildApp } from './build.ts';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

function verifySender(value: string | undefined): 'address' | 'domain' | undefined {
  if (value === undefined || value === 'address' || value === 'domain') return value;
  return fail(`verifySender must be "address" or "domain", not "${value}".`);
}

const configPath = resolve(context('config') ?? process.env.MELDPUNT_CONFIG ?? 'meldpunt.config.json');
if (!existsSync(configPath)) fail(`No config at ${configPath}. Write one (docs/deploy.md, step 2), or pass -c config=PATH.`);
// A deploy without the web app would publish an empty site, so there is no placeholder here.
const webDist = resolve(import.meta.dirname, '../web/dist');
if (!existsSync(resolve(webDist, 'index.html'))) fail('The web app is not built: run `npm run build:web` first.');

const configJson = readFileSync(configPath, 'utf8');
const config = await parseConfig(configJson, configPath).catch((e: unknown) => (e instanceof ConfigError ? fail(e.message) : Promise.reject(e)));
buildApp({
  app,
  config,
  keyFactsJson: JSON.stringify(await keyFactsOf(config)),
  webDist,
  certificateArn: context('certificateArn'),
  verifySender: verifySender(context('verifySender')),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' },
});
app.synth();
