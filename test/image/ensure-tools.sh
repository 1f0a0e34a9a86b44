#!/usr/bin/env bash
# What `npm run test:image` needs besides the test suite's own set-up: root (buildah's chroot
# isolation and debootstrap), buildah and debootstrap (installed with apt-get when missing), and
# PostgreSQL and Redis running (as for `npm test`). Exits non-zero, saying why, when the machine
# cannot run the image test.
set -euo pipefail
say() { printf 'test:image: %s\n' "$*" >&2; }
if [ "$(id -u)" != 0 ]; then
  say "needs root (buildah --isolation chroot, debootstrap)."
  exit 1
fi
missing=()
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || { say "install ${missing[*]} (no apt-get here)."; exit 1; }
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
