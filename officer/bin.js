#!/usr/bin/env node
// `meldpunt-officer`: runs the TypeScript tool through tsx, so there is no separate build step.
// tsx is resolved from this file, not from the working directory, so the command works from anywhere.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const tsx = import.meta.resolve('tsx');
const result = spawnSync(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
