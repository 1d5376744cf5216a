/**
 * Reports survive a restart of the local stack: dynalite persists under the data folder, and the HMAC key file is reused.
 * Run as `npm start` runs it, dynalite on a thread of its own: stopping it lets go of the table for the next start.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, submitReport } from '../shared/client/reporter.ts';
import { startStack } from './support/stack.ts';
import { sampleReport } from './support/reports.ts';

const home = mkdtempSync(join(tmpdir(), 'meldpunt-restart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('local stack restart', () => {
  it('keeps reports, keys and config', async () => {
    const first = await startStack({ home, persist: true, dynamoThread: true });
    const channels = publicChannels(first.config);
    const { code } = await submitReport({ api: { base: first.url }, channels, report: sampleReport('Na een herstart nog leesbaar.') });
    await first.stop();
    expect(statSync(join(home, 'hmac-keys.json')).mode & 0o077).toBe(0);

    const second = await startStack({ home, persist: true, dynamoThread: true });
    try {
      expect(second.local.createdDemo).toBeNull();
      const opened = await openCase({ api: { base: second.url }, channels: publicChannels(second.config), code });
      expect(opened.thread[0]!.payload).toMatchObject({ answers: { what: 'Na een herstart nog leesbaar.' } });
    } finally {
      await second.stop();
    }
  });
});
