/**
 * `npm run build:officer`: the officer tool and its desk as one file, `dist/meldpunt-officer.mjs`,
 * that runs on Node 20 or newer with nothing installed: every dependency and the desk's page inside.
 * An operator hands this file to an officer: `node meldpunt-officer.mjs desk`. Beside it, the desk
 * as one program per platform with Node inside (officer/executables.ts); `build:officer linux-x64`
 * builds only the ones named.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildAssets } from './desk/assets.ts';
import { buildExecutables, NODE_VERSION, PLATFORMS, type Platform } from './executables.ts';

export const RELEASE = join('dist', 'meldpunt-officer.mjs');

/** What every release of the tool shares: one bundle, the desk's page built in, esbuild left out (a checkout builds the page itself). */
export async function releaseOptions(release: string): Promise<esbuild.BuildOptions> {
  return {
    bundle: true,
    platform: 'node',
    minify: true,
    legalComments: 'none',
    external: ['esbuild'],
    define: { __DESK_ASSETS__: JSON.stringify(await buildAssets()), 'process.env.MELDPUNT_RELEASE': JSON.stringify(release) },
  };
}

export async function buildOfficer(outfile = RELEASE): Promise<string> {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await esbuild.build({
    ...(await releaseOptions('1')),
    entryPoints: [join(import.meta.dirname, 'main.ts')],
    outfile,
    format: 'esm',
    target: 'node20',
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = await buildOfficer();
  console.log(`${file}: ${Math.round(statSync(file).size / 1024)} KB. Runs with: node ${file} help`);
  const only = process.argv.slice(2).filter((a) => a in PLATFORMS) as Platform[];
  for (const { platform, file: program, bytes } of await buildExecutables('dist', only.length ? only : undefined)) {
    console.log(`${program}: ${(bytes / 1e6).toFixed(1)} MB, ${platform}, Node ${NODE_VERSION} inside. Double-click it, or run it with no arguments: the desk opens.`);
  }
}
