/**
 * A page anyone can verify starts with a build anyone can repeat: two clean builds of the web app
 * from the same sources give byte-identical files (names and contents).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'meldpunt-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('the web app build', () => {
  it('is reproducible: two clean builds are byte-identical', async () => {
    const configFile = resolve(import.meta.dirname, '../web/vite.config.ts');
    const dirs = [join(work, 'a'), join(work, 'b')];
    for (const outDir of dirs) await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const [a, b] = dirs.map(digest);
    expect(Object.keys(a!).length).toBeGreaterThan(5);
    expect(a).toEqual(b);
  });
});
