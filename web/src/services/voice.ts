/**
 * Voice messages: decode a recording, optionally disguise the voice by shifting its pitch while
 * keeping its length (granular overlap-add), and write it as a plain WAV file (16 kHz, 16-bit,
 * mono) that carries nothing but the sound. Runs in the page; the original never leaves it.
 *
 * What the disguise changes: the pitch of the voice, so it does not sound like you. What it does not
 * change: the words, the accent, the way you speak, pauses and background sounds.
 */
export const VOICE_RATE = 16_000;
/** Deeper by a bit more than a fifth: clearly another voice, still easy to understand. */
export const DISGUISE_FACTOR = 0.78;

/** Mono samples at VOICE_RATE from any audio the browser can decode. */
export async function decodeVoice(blob: Blob): Promise<Float32Array> {
  const context = new OfflineAudioContext(1, 1, VOICE_RATE);
  const buffer = await context.decodeAudioData(await blob.arrayBuffer());
  const mono = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) mono[i]! += data[i]! / buffer.numberOfChannels;
  }
  return mono;
}

/** Pitch times `factor`, same length: each 50 ms grain is read faster or slower, Hann-windowed, half overlapping. */
export function pitchShift(input: Float32Array, factor: number, rate = VOICE_RATE): Float32Array {
  const grain = Math.round(rate * 0.05);
  const hop = Math.floor(grain / 2);
  const window = new Float32Array(grain);
  for (let i = 0; i < grain; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / grain);
  const out = new Float32Array(input.length);
  for (let start = 0; start < input.length; start += hop) {
    for (let i = 0; i < grain && start + i < out.length; i++) {
      // Read around the grain's own place, so the grain stays where it was in time.
      const src = start + (i - grain / 2) * factor + grain / 2;
      const j = Math.floor(src);
      if (j < 0 || j + 1 >= input.length) continue;
      const frac = src - j;
      out[start + i]! += window[i]! * (input[j]! * (1 - frac) + input[j + 1]! * frac);
    }
  }
  return out;
}

/** A WAV file: RIFF header, `fmt `, `data`, nothing else. */
export function encodeWav(samples: Float32Array, rate = VOICE_RATE): Blob {
  const data = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at: number, s: string) => [...s].forEach((c, i) => data.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  data.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  data.setUint32(16, 16, true);
  data.setUint16(20, 1, true); // PCM
  data.setUint16(22, 1, true); // mono
  data.setUint32(24, rate, true);
  data.setUint32(28, rate * 2, true);
  data.setUint16(32, 2, true);
  data.setUint16(34, 16, true);
  text(36, 'data');
  data.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) data.setInt16(44 + i * 2, Math.max(-1, Math.min(1, samples[i]!)) * 0x7fff, true);
  return new Blob([data.buffer], { type: 'audio/wav' });
}

/** The file to send: the recording as WAV, disguised unless the reporter keeps the real voice. */
export async function voiceFile(recording: Blob, disguise: boolean): Promise<Blob> {
  const samples = await decodeVoice(recording);
  return encodeWav(disguise ? pitchShift(samples, DISGUISE_FACTOR) : samples);
}
