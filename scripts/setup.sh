#!/usr/bin/env bash
# Sets up a checkout so that bin/montage and the tests run: ffmpeg/ffprobe and the npm dependencies.
# Idempotent: every step checks first, so running it again costs a second or two.
#
#   bash scripts/setup.sh
#
# ffmpeg and ffprobe come from Debian's `ffmpeg` package (or from MONTAGE_FFMPEG / MONTAGE_FFPROBE).
# As root they are installed with apt-get; otherwise the script says what to install and stops.
# It starts no services: Postgres and Redis, where tests use them, are expected to be running already.
#
#   bash scripts/setup.sh --with-test-tools
#
# also installs (as root) what only the tests and the benchmark use: Debian's chromium (the Studio's
# browser test), nginx-light (the cluster test's load balancer) and fonts-dejavu-core (the
# benchmark's baseline). `npm run example` and `npm run setup` install only what bin/montage needs;
# `npm run setup-and-test` passes the flag. MONTAGE_SETUP_PLAN=1 prints the apt packages this
# invocation is for, one a line, and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

with_test_tools=0
for arg in "$@"; do
  case "$arg" in
    --with-test-tools) with_test_tools=1 ;;
    *) say "unknown option $arg (known: --with-test-tools)"; exit 2 ;;
  esac
done
if [ "${MONTAGE_SETUP_PLAN:-}" = 1 ]; then
  echo ffmpeg
  [ "$with_test_tools" = 1 ] && printf '%s\n' fonts-dejavu-core chromium nginx-light
  exit 0
fi

# --- Node ------------------------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))."
  exit 1
fi

# --- ffmpeg, ffprobe, a DejaVu font for the benchmark's baseline -------------------------------
FFMPEG="${MONTAGE_FFMPEG:-ffmpeg}"
FFPROBE="${MONTAGE_FFPROBE:-ffprobe}"
missing=()
if ! command -v "$FFMPEG" >/dev/null 2>&1 || ! command -v "$FFPROBE" >/dev/null 2>&1; then
  missing+=(ffmpeg)
fi
# fonts-dejavu-core: fc-match finds DejaVu Sans Bold for bench/baseline-ref-a.sh's drawtext. Montage
# itself ships its fonts through npm (dejavu-fonts-ttf), so this one is optional.
want_fonts=0
[ "$with_test_tools" = 1 ] && ! [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] && want_fonts=1

if [ "${#missing[@]}" -gt 0 ] || [ "$want_fonts" = 1 ]; then
  pkgs=("${missing[@]}")
  [ "$want_fonts" = 1 ] && pkgs+=(fonts-dejavu-core)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${pkgs[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  elif [ "${#missing[@]}" -gt 0 ]; then
    say "ffmpeg and ffprobe are missing. Install them, then run this again:"
    say "    sudo apt-get install ffmpeg fonts-dejavu-core      (Debian/Ubuntu)"
    say "or point MONTAGE_FFMPEG and MONTAGE_FFPROBE at existing binaries."
    exit 1
  else
    say "note: fonts-dejavu-core is not installed; only the benchmark's baseline needs it."
  fi
fi
command -v "$FFMPEG" >/dev/null 2>&1 && command -v "$FFPROBE" >/dev/null 2>&1 || {
  say "ffmpeg/ffprobe still not found after installing; check PATH or MONTAGE_FFMPEG/MONTAGE_FFPROBE."
  exit 1
}

# --- Montage's fallback fonts (every script and colour emoji) ---------------------------------
# Debian's Noto packages, read by explicit path (src/render/raster/fallback-fonts.ts), never found
# by scanning the host: the same files in the CLI, the service and the container image. Without
# them text still renders, but characters outside DejaVu's coverage are reported as missing.
noto=(fonts-noto-core:/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
      fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
      fonts-noto-color-emoji:/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf)
want_noto=()
for entry in "${noto[@]}"; do
  [ -e "${entry#*:}" ] || want_noto+=("${entry%%:*}")
done
if [ "${#want_noto[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${want_noto[*]} with apt-get (Montage's font fallback for every script and emoji)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${want_noto[@]}" >/dev/null
  else
    say "note: ${want_noto[*]} not installed: text in scripts beyond DejaVu's (Arabic, Devanagari, Thai,"
    say "      CJK…) and colour emoji will be reported as missing. sudo apt-get install ${want_noto[*]}"
  fi
fi

# --- Chromium, for the Studio's browser test (test/studio) ------------------------------------
# Debian's chromium, driven by playwright-core (which downloads no browser of its own). Optional:
# without it test/studio skips and says why. Installed with its recommended packages, as tested.
if [ "$with_test_tools" = 1 ] && [ -z "${MONTAGE_CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing chromium with apt-get (for the Studio's browser test)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
  else
    say "note: chromium is not installed, so test/studio will skip (sudo apt-get install chromium)."
  fi
fi

# --- nginx, the load balancer of the scale-out cluster test (test/cluster) ----------------------
# Debian's nginx-light, started by the test itself on loopback (never as a system service).
if [ "$with_test_tools" = 1 ] && ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing nginx-light with apt-get (the load balancer of the cluster test)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
    # The package may start a system nginx on port 80; the test runs its own.
    (command -v service >/dev/null 2>&1 && service nginx stop >/dev/null 2>&1) || pkill -x nginx 2>/dev/null || true
  else
    say "note: nginx is not installed, so test/cluster will skip (sudo apt-get install nginx-light)."
  fi
fi

# --- npm dependencies ------------------------------------------------------------------------
# `npm install` rather than `npm ci`: it installs exactly the versions in package-lock.json too, but
# npm ci rejects this lock because @napi-rs/canvas 1.1.1 lists platform packages (darwin, win32, musl)
# that the registry does not publish, so they can never be in the lock. npm install also leaves an
# existing node_modules in place instead of deleting it first. No dependency needs an install
# script: esbuild's postinstall only checks its binary, which comes from @esbuild/linux-x64, so
# package.json's allowScripts denies it explicitly.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  :
else
  say "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi

# A smoke check that the native pieces load on this machine.
node -e "require('@napi-rs/canvas'); require('libsql')" 2>/dev/null \
  || { say "a native dependency (@napi-rs/canvas or libsql) does not load on this platform."; exit 1; }

say "ready: $("$FFMPEG" -hide_banner -version | head -n1 | cut -d' ' -f1-3), node $(node --version)"
