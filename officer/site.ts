/**
 * A site anyone can check. At each release the operator lists the SHA-256 of every file the site
 * serves (the built web app and channels.json) in `meldpunt-manifest.txt`, in `sha256sum` format,
 * and signs it with their OpenPGP key (`sign-site`). `verify-site URL` fetches every file from the
 * live site and compares; docs/verify-site.md shows the same check with curl, gpg and sha256sum.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as openpgp from 'openpgp';
import { parseConfig } from '../shared/config/load.ts';
import { paperText, publicChannels } from '../shared/config/schema.ts';
import { fingerprintOf, readPublicKey } from '../shared/protocol/keys.ts';
import { CliError } from './errors.ts';

export const MANIFEST = 'meldpunt-manifest.txt';
export const SIGNATURE = `${MANIFEST}.asc`;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The manifest: one `<sha256>  <path>` line per file the site serves, sorted, as `sha256sum` writes and reads it. */
export function manifestOf(files: Map<string, Uint8Array | string>): string {
  return [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, bytes]) => `${sha256(bytes)}  ${path}\n`).join('');
}

export function parseManifest(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n').filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}([A-Za-z0-9._/-]+)$/.exec(line);
    if (!m || m[2]!.split('/').includes('..')) throw new CliError(`The manifest has a line that is not "<sha256>  <path>": ${line.slice(0, 80)}`);
    entries.set(m[2]!, m[1]!);
  }
  if (entries.size === 0) throw new CliError('The manifest lists no files.');
  return entries;
}

/** `sign-site`: writes the manifest and its detached signature into the built web app. */
export async function signSite(out: (line: string) => void, options: { key: openpgp.PrivateKey; web: string; config: string }): Promise<void> {
  if (!existsSync(join(options.web, 'index.html'))) throw new CliError(`${options.web} has no index.html: build the web app first (npm run build:web).`);
  if (!existsSync(options.config)) throw new CliError(`${options.config} does not exist: give the configuration the site is deployed with (--config).`);
  const config = await parseConfig(readFileSync(options.config, 'utf8'), options.config);
  const files = new Map<string, Uint8Array | string>();
  for (const path of filesUnder(options.web)) {
    const name = relative(options.web, path).split(sep).join('/');
    if (name !== MANIFEST && name !== SIGNATURE) files.set(name, readFileSync(path));
  }
  // Served beside the app, as the local server and the CDK deployment write it.
  files.set('channels.json', JSON.stringify(publicChannels(config)));
  files.set('per-post.txt', paperText(config));
  const manifest = manifestOf(files);
  const signature = await openpgp.sign({ message: await openpgp.createMessage({ text: manifest }), signingKeys: options.key, detached: true, format: 'armored' });
  writeFileSync(join(options.web, MANIFEST), manifest);
  writeFileSync(join(options.web, SIGNATURE), signature);
  out(`Signed the manifest of ${files.size} files with ${fingerprintOf(options.key).toUpperCase()}: ${join(options.web, MANIFEST)} and ${SIGNATURE}.`);
  out('Deploy as usual; anyone can then check the live site: npm run officer -- verify-site URL --operator-key YOUR-PUBLIC-KEY');
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Uint8Array | null }> {
  try {
    const res = await fetch(url, { redirect: 'error', cache: 'no-store' });
    return { status: res.status, bytes: res.ok ? new Uint8Array(await res.arrayBuffer()) : null };
  } catch {
    return { status: 0, bytes: null };
  }
}

/**
 * `verify-site URL`: is the live site exactly the release the operator signed? Checks the signature
 * with a key the checker got from the operator (never one the site offers), then every file.
 */
export async function verifySite(out: (line: string) => void, options: { url: string; operatorKey: string }): Promise<boolean> {
  const base = options.url.replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(base)) throw new CliError(`"${options.url}" is not a site address; give one like https://meldpunt.example.nl`);
  if (!existsSync(options.operatorKey)) throw new CliError(`${options.operatorKey} does not exist: give the operator's public key (--operator-key FILE), obtained from them directly.`);
  const operator = await readPublicKey(readFileSync(options.operatorKey, 'utf8')).catch(() => {
    throw new CliError(`${options.operatorKey} is not an OpenPGP public key.`);
  });
  const [manifest, signature] = await Promise.all([fetchBytes(`${base}/${MANIFEST}`), fetchBytes(`${base}/${SIGNATURE}`)]);
  if (!manifest.bytes || !signature.bytes) {
    throw new CliError(`${base} serves no signed manifest (${MANIFEST}: ${manifest.status || 'unreachable'}, ${SIGNATURE}: ${signature.status || 'unreachable'}). Without it the site cannot be checked.`);
  }
  const text = new TextDecoder().decode(manifest.bytes);
  const verified = await openpgp
    .verify({ message: await openpgp.createMessage({ text }), signature: await openpgp.readSignature({ armoredSignature: new TextDecoder().decode(signature.bytes) }), verificationKeys: operator, expectSigned: true })
    .then(() => true)
    .catch(() => false);
  if (!verified) {
    out(`SIGNATURE INVALID: ${MANIFEST} was not signed by ${fingerprintOf(operator).toUpperCase()}, or was changed. Nothing on this site can be trusted to be the release.`);
    return false;
  }
  const entries = parseManifest(text);
  out(`Manifest: signed by ${fingerprintOf(operator).toUpperCase()}; ${entries.size} files.`);
  const problems: string[] = [];
  const check = async (path: string, expected: string, url = `${base}/${path}`) => {
    const { status, bytes } = await fetchBytes(url);
    if (!bytes) return problems.push(`MISSING  ${path}: the site answers ${status || 'nothing'}`);
    if (sha256(bytes) !== expected) return problems.push(`DIFFERS  ${path}: the site serves other bytes than the signed release (sha256 ${sha256(bytes)})`);
    out(`OK       ${path}`);
  };
  for (const [path, expected] of entries) await check(path, expected);
  // The start page as people open it (every app path serves index.html), and whatever it loads.
  const index = entries.get('index.html');
  if (index) await check('index.html', index, `${base}/`).then(() => undefined);
  const page = (await fetchBytes(`${base}/`)).bytes;
  for (const m of new TextDecoder().decode(page ?? new Uint8Array()).matchAll(/\s(?:src|href)="\/([^"#?]+)"/g)) {
    if (!entries.has(m[1]!)) problems.push(`NOT IN MANIFEST  ${m[1]}: the start page loads it, but the release does not list it`);
  }
  for (const p of problems) out(p);
  out(problems.length === 0 ? `The site at ${base} serves exactly the signed release.` : `The site at ${base} does NOT match the signed release: ${problems.length} problem(s) above.`);
  return problems.length === 0;
}
