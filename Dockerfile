# syntax=docker/dockerfile:1.7
#
# Montage's one image for every role:  docker run IMAGE serve | api | worker | migrate | keys …
#
# Stages:
#   deps    production node_modules only (npm install --omit=dev against the lock)
#   build   the full dev install, then src/**/*.ts compiled to .js in the same layout (tsc with
#           rewriteRelativeImportExtensions, deploy/docker/tsconfig.build.json)
#   runtime node:20-bookworm-slim + Debian's ffmpeg + tini, the compiled code, the prod modules
#
# Why compile instead of running tsx at run time: tsx is a dev dependency (so `--omit=dev` drops it),
# it would put a compiler and its cache (/tmp) in every process, and it costs ~0.5 s per start
# (docs/benchmarks.md). The compiled tree keeps src/'s layout, so paths the code resolves from
# import.meta.url (../../schema, ../../studio/dist) hold in the image as in a checkout.
#
# Why `npm install` and not `npm ci`: npm ci rejects this lock (scripts/setup.sh explains why:
# @napi-rs/canvas lists platform packages the registry does not publish); npm install installs the
# lock's exact versions all the same. --ignore-scripts matches package.json's allowScripts: no
# dependency needs an install script (native parts come as prebuilt platform packages).
#
# The deps and runtime stages run on the target platform, so a multi-arch build
# (--platform linux/amd64,linux/arm64) gets each platform's prebuilt native packages.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
 && node -e "require('@napi-rs/canvas'); require('libsql')"

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY deploy/docker/tsconfig.build.json deploy/docker/
COPY src ./src
RUN npx tsc -p deploy/docker/tsconfig.build.json --noCheck \
 && test -f build/src/cli/main.js

FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe from Debian (what the tests run against); tini as PID 1. No recommends: no X.
# Fonts: DejaVu comes from the dejavu-fonts-ttf npm package; Montage's fallback chain for every other
# script and colour emoji (src/render/raster/fallback-fonts.ts) is Debian's Noto, at the same paths
# as scripts/setup.sh installs them, so the CLI, the service and this image draw text alike.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
      fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/* \
 && ffmpeg -hide_banner -version | head -n1 \
 && test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
 && test -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf \
 && test -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf

ENV NODE_ENV=production \
    MONTAGE_PORT=8080 \
    MONTAGE_DATA_DIR=/data \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schema ./schema
COPY studio/dist ./studio/dist
COPY --from=build /app/build/src ./src
COPY --chmod=0755 deploy/docker/montage /usr/local/bin/montage

# The image's only writable places: the data dir (renders' work files, fetch cache; SQLite and
# objects under `serve`) and /tmp. Everything else may be mounted read-only
# (docker run --read-only --tmpfs /tmp -v montage-data:/data …, readOnlyRootFilesystem in Kubernetes).
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]

# The `node` user of the base image, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080

# Liveness of the HTTP roles (serve, api, worker): GET /healthz on MONTAGE_PORT. Node's fetch, as
# the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MONTAGE_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["montage"]
CMD ["serve"]
