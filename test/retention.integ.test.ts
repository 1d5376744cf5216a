/**
 * Retention that people can see: a closed case shows the reporter its deletion date, the officer's
 * tool shows it too, and the daily job mails the officers 14 days and 1 day before, with fixed
 * wording and nothing of the case; after the date the case and its files are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, submitReport } from '../shared/client/reporter.ts';
import { deriveCodeKeys } from '../shared/protocol/derive.ts';
import { addDays, dayOf } from '../shared/wbk/deadlines.ts';
import { caseIdFor } from '../functions/services/reporter.ts';
import { NOTICES } from '../functions/mail/mailer.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';

let stack: TestStack;
let now = Date.now();
const clock = () => new Date(now);
const DAY = 24 * 60 * 60 * 1000;
beforeAll(async () => {
  stack = await startStack({ clock: { now: clock } });
});
afterAll(() => stack?.stop());

describe('retention', () => {
  it('is shown to reporter and officer, warned of 14 days and 1 day ahead, and then carried out', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api, channels, report: sampleReport('Wordt later verwijderd.'), files: [{ blob: new Blob([new Uint8Array(5000)]), name: 'x.bin', type: 'application/octet-stream' }] });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    const officer = officerCli(stack, stack.officer, clock);
    await officer('ack', caseId);
    await officer('close', caseId, '--outcome', 'Afgehandeld.');
    const closedOn = dayOf(clock());
    const deleteAfter = addDays(closedOn, stack.config.retentionDays);

    expect((await openCase({ api, channels, code })).view.deleteAfter).toBe(deleteAfter);
    expect(await officer('cases')).toContain(`deleted after ${deleteAfter}`);
    expect(await officer('show', caseId)).toContain(`the case is deleted after ${deleteAfter}`);

    const warnings = async () => (await stack.sentMail()).filter((m) => m.subject === NOTICES.retention.subject);
    const before = (await warnings()).length;
    now = Date.parse(`${addDays(deleteAfter, -15)}T12:00:00Z`);
    expect((await stack.local.runDaily()).retentionWarned).toEqual([]);
    now = Date.parse(`${addDays(deleteAfter, -14)}T12:00:00Z`);
    expect((await stack.local.runDaily()).retentionWarned).toEqual(['integriteit']);
    now = Date.parse(`${addDays(deleteAfter, -13)}T12:00:00Z`);
    expect((await stack.local.runDaily()).retentionWarned).toEqual([]);
    now = Date.parse(`${addDays(deleteAfter, -1)}T12:00:00Z`);
    expect((await stack.local.runDaily()).retentionWarned).toEqual(['integriteit']);
    const sent = (await warnings()).slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => m.body.text === NOTICES.retention.text && !JSON.stringify(m).includes(caseId))).toBe(true);

    now = Date.parse(`${deleteAfter}T12:00:00Z`);
    expect((await stack.local.runDaily()).deleted).toBe(0); // the last day it is kept
    now += DAY;
    expect((await stack.local.runDaily()).deleted).toBe(1);
    expect(await stack.local.deps.cases.get(caseId)).toBeNull();
    expect(await stack.local.deps.objects.list(`files/${caseId}/`)).toEqual([]);
  });
});
