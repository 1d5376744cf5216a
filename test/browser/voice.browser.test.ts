/**
 * Voice messages in real Chromium with a fake microphone playing a 200 Hz tone (a WAV the test
 * makes): record, disguise, listen, add, send; the officer's copy is a WAV that ffprobe reads, of
 * the recorded length, whose dominant pitch differs measurably from the input's, and that GnuPG
 * decrypts from the export. With "disguise" off, the pitch is the input's. Again with --jitless.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { CHROMIUM_ARGS, toEvidenceStep, filesStored } from '../support/browser.ts';
import { gnupgFor } from '../support/gnupg.ts';
import { officerCli } from '../support/officer-cli.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const TONE = 200;
let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-voice-'));
const toneFile = join(work, 'tone.wav');

/** A 16-bit mono WAV of a pure tone. */
function toneWav(path: string, hz: number, seconds: number, rate = 48_000) {
  const n = seconds * rate;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(0.5 * 0x7fff * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  writeFileSync(path, b);
}

/** The dominant pitch of an audio file: ffmpeg decodes to 16 kHz mono floats, autocorrelation finds the period. */
function dominantPitch(file: string): number {
  const raw = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const all = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  const x = all.subarray(Math.floor(all.length / 3), Math.floor(all.length / 3) + 8000); // half a second from the middle
  let best = 0;
  let bestLag = 0;
  for (let lag = 16000 / 500; lag <= 16000 / 60; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < x.length; i++) sum += x[i]! * x[i + lag]!;
    if (sum > best) (best = sum), (bestLag = lag);
  }
  return 16000 / bestLag;
}

const duration = (file: string) => Number(JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-print_format', 'json', file]).toString()).format.duration);

beforeAll(async () => {
  toneWav(toneFile, TONE, 6);
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function sendVoice(browser: Browser, disguise: boolean): Promise<string> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await toEvidenceStep(page, stack.url, 'Zie mijn spraakbericht.');
  await page.click('voice-recorder button.record');
  await page.waitForSelector('voice-recorder button.pause');
  await page.waitForTimeout(1500);
  // Pause and go on: the pause is not in the recording.
  await page.click('voice-recorder button.pause');
  await page.waitForTimeout(700);
  await page.click('voice-recorder button.resume');
  await page.waitForTimeout(1500);
  await page.click('voice-recorder button.stop');
  await page.waitForSelector('voice-recorder button.add-voice', { timeout: 60_000 });
  if (!disguise) {
    await page.uncheck('#voice-disguise');
    await page.waitForSelector('voice-recorder button.add-voice', { timeout: 60_000 });
  }
  expect(await page.locator('voice-recorder audio.preview').count()).toBe(1);
  await page.click('voice-recorder button.add-voice');
  await page.waitForSelector('.chosen-files li');
  expect(await page.textContent('.chosen-files li')).toMatch(/spraakbericht-\d+\.wav/);
  return sendFromEvidenceStep(context, page);
}

/** From the evidence step on to the receipt, the files stored; closes the context and returns the case id. */
async function sendFromEvidenceStep(context: BrowserContext, page: Page): Promise<string> {
  for (let i = 0; i < 3; i++) await page.click('report-wizard form button[type=submit]');
  await page.waitForSelector('code-receipt .code', { timeout: 60_000 });
  await filesStored(page);
  const code = parseCode((await page.textContent('code-receipt .code .visually-hidden'))!.trim());
  if (code.kind !== 'ok') throw new Error('no code');
  await context.close();
  return caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code.code)).accessKey);
}

async function receivedAudio(caseId: string, name: string): Promise<string> {
  const dir = join(work, name);
  expect(await officerCli(stack, stack.officer)('files', caseId, dir)).toContain('1 of 1 file(s) saved');
  return join(dir, readdirSync(dir)[0]!);
}

describe.each([
  ['Chromium', false],
  ['Chromium --jitless', true],
])('voice messages in %s', (_, jitless) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${toneFile}`, ...(jitless ? ['--js-flags=--jitless'] : [])],
    });
  });
  afterAll(() => browser?.close());

  it('are disguised in the page: valid audio of the recorded length, another pitch; GnuPG reads it', async () => {
    const caseId = await sendVoice(browser, true);
    const file = await receivedAudio(caseId, `disguised-${jitless}`);
    expect(duration(file)).toBeGreaterThan(2.4);
    expect(duration(file)).toBeLessThan(4.5);
    const pitch = dominantPitch(file);
    expect(Math.abs(pitch - TONE) / TONE, `pitch ${pitch.toFixed(0)} Hz`).toBeGreaterThan(0.12);
    if (!jitless) {
      const exportDir = join(work, 'export');
      await officerCli(stack, stack.officer)('export', caseId, exportDir);
      const gpgFile = join(exportDir, readdirSync(exportDir).find((f) => f.endsWith('.wav.gpg'))!);
      expect(gnupgFor(stack.officer, work)(['--decrypt', gpgFile]).equals(readFileSync(file))).toBe(true);
    }
  });

  it('keep the real voice when the reporter chooses so', async () => {
    const caseId = await sendVoice(browser, false);
    const pitch = dominantPitch(await receivedAudio(caseId, `real-${jitless}`));
    expect(Math.abs(pitch - TONE) / TONE, `pitch ${pitch.toFixed(0)} Hz`).toBeLessThan(0.05);
  });
});

describe('a recording is never lost without a word', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${toneFile}`],
    });
  });
  afterAll(() => browser?.close());

  async function record(options: { webAudio: boolean }) {
    const context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    // Web Audio turned off, as Firefox's dom.webaudio.enabled=false does: the constructors are gone.
    if (!options.webAudio) await page.addInitScript('delete window.AudioContext; delete window.OfflineAudioContext; delete window.webkitAudioContext;');
    await toEvidenceStep(page, stack.url, 'Zie mijn spraakbericht.');
    await page.click('voice-recorder button.record');
    await page.waitForSelector('voice-recorder button.pause');
    await page.waitForTimeout(1500);
    // A level meter shows the microphone hears something, where the browser processes sound.
    expect(await page.locator('voice-recorder meter#voice-level').count()).toBe(options.webAudio ? 1 : 0);
    if (options.webAudio) expect(Number(await page.getAttribute('voice-recorder meter#voice-level', 'value'))).toBeGreaterThan(0);
    await page.click('voice-recorder button.stop');
    // The recording's length beside its player (the browser's own player shows 0:00 for a fresh recording).
    await page.waitForFunction(() => /\(Lengte: 0:0[1-9]\)/.test(document.querySelector('voice-recorder')?.textContent ?? ''), null, { timeout: 30_000 });
    return { context, page };
  }

  it('a recording made but not added goes with the message when the reporter presses Next', async () => {
    const { context, page } = await record({ webAudio: true });
    await page.waitForSelector('voice-recorder button.add-voice', { timeout: 60_000 });
    await page.click('report-wizard form button[type=submit]'); // "Volgende" without "Toevoegen"
    await page.waitForSelector('#hopes');
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('dl.review');
    expect(await page.textContent('dl.review')).toMatch(/spraakbericht-\d+\.wav/);
    await context.close();
  });

  it('a recording still being made stops the step and says so; it is dropped only by "Discard"', async () => {
    const context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    await toEvidenceStep(page, stack.url, 'Zie mijn spraakbericht.');
    await page.click('voice-recorder button.record');
    await page.waitForSelector('voice-recorder button.pause');
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).toContain('U heeft een opname die nog niet bij uw bericht zit');
    expect(await page.locator('#what').count()).toBe(0); // still on the evidence step
    expect(await page.locator('#attachments').count()).toBe(1);
    await page.click('voice-recorder button.stop');
    await page.waitForSelector('voice-recorder button.discard', { timeout: 60_000 });
    await page.click('voice-recorder button.discard');
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('#hopes');
    await context.close();
  });

  it('without Web Audio: says what failed, keeps the recording, and sends the real voice only when the reporter chooses it', async () => {
    const { context, page } = await record({ webAudio: false });
    await page.waitForSelector('voice-recorder button.send-real', { timeout: 60_000 });
    const said = await page.textContent('voice-recorder');
    expect(said).toContain('Web Audio');
    expect(said).not.toContain('geen toegang tot een microfoon');
    expect(await page.locator('voice-recorder audio').count()).toBe(1); // the recording is still there to hear
    // Going on now asks; nothing is added by itself.
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.chosen-files li').count()).toBe(0);
    await page.click('voice-recorder button.send-real');
    await page.waitForSelector('voice-recorder button.add-voice');
    await page.click('voice-recorder button.add-voice');
    await page.waitForSelector('.chosen-files li');
    expect(await page.textContent('.chosen-files li')).toMatch(/spraakbericht-\d+\.(webm|ogg)/);
    const caseId = await sendFromEvidenceStep(context, page);
    const pitch = dominantPitch(await receivedAudio(caseId, 'unprocessed'));
    expect(Math.abs(pitch - TONE) / TONE, `pitch ${pitch.toFixed(0)} Hz`).toBeLessThan(0.05);
  });
});
