#!/usr/bin/env bash
# The Debian packages the tests use, checked before `npm test` runs (and by .ci/run): Chromium and
# Firefox ESR (browser tests), GnuPG, ffmpeg's ffprobe and exiftool (checks of decrypted files),
# Archive::Zip (exiftool reads Office files), curl and openssl (the outsider's checks in docs/), and
# a font for screenshots. As root on Debian, missing ones are installed; otherwise this stops with
# one line naming them and the command that installs them.
set -uo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v exiftool >/dev/null 2>&1 || missing+=(libimage-exiftool-perl)
perl -MArchive::Zip -e1 >/dev/null 2>&1 || missing+=(libarchive-zip-perl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${EUID:-1}" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests use: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
  echo "Installing ${missing[*]} failed." >&2
  exit 1
fi
echo "npm test needs these Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
