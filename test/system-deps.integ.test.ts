/** `npm test`'s first step (test/system-deps.sh): quiet when every Debian package is there; one plain line when some are not. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (env: Record<string, string>) => spawnSync('/bin/bash', ['test/system-deps.sh'], { env, encoding: 'utf8' });

describe('the Debian packages the tests use', () => {
  it('are all here: the step says nothing and lets the tests run', () => {
    const here = run({ PATH: process.env.PATH ?? '/usr/bin:/bin' });
    expect(here.status).toBe(0);
    expect(here.stdout + here.stderr).toBe('');
  });

  it('when some are missing and they cannot be installed, stops with one line naming them and the command', () => {
    // No PATH: gpg, ffprobe, exiftool, perl, curl, openssl and apt-get are not found.
    const bare = run({ PATH: '/nonexistent' });
    expect(bare.status).toBe(1);
    const lines = bare.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'npm test needs these Debian packages: gnupg ffmpeg libimage-exiftool-perl libarchive-zip-perl curl openssl. Install them with: sudo apt-get install gnupg ffmpeg libimage-exiftool-perl libarchive-zip-perl curl openssl',
    );
  });
});
