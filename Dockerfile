# syntax=docker/dockerfile:1.7
#
# Montage's one image for every role:  docker run IMAGE serve | api | worker | migrate | keys …
#
# Stages:
#   deps    production node_modules only (npm install --omit=dev against the lock)
#   build   the prod modules plus typescript and esbuild alone (the lock's versions), then `npm run
#           build`'s script (scripts/build-dist.mjs): src/**/*.ts → dist/**/*.js (tsc with
#           rewriteRelativeImportExtensions, tsconfig.build.json), the CLI bundled into
#           dist/cli/main.js and dist/cli-chunks/: the same build the npm package ships
#   runtime node:20-bookworm-slim + Debian's ffmpeg, tini and Noto fonts, the compiled code, the
#           prod modules
#
# NODE_IMAGE is an argument so that a machine with no registry can build on a local base image:
# deploy/docker/build-base.sh makes one (debootstrap bookworm + Node 20), and test/image does so
# (docs/deploying.md, "The image, built and run here").
#
# Why compile instead of running tsx at run time: tsx is a dev dependency (so `--omit=dev` drops it),
# it would put a compiler and its cache (/tmp) in every process, and it costs ~0.5 s per start
# (docs/benchmarks.md). The compiled code sits at src/'s depth (dist/cli/main.js, the bundle's chunks in
# dist/cli-chunks/), so paths the code resolves from import.meta.url (../../schema, ../../studio/dist)
# hold in the image as in a checkout.
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

FROM deps AS build
# Only typescript (and the Node types its declaration output refers to) and esbuild (which bundles
# the CLI; its binary comes in its platform package, so no install script) on top of the prod
# modules: the build needs nothing else (ajv, for the precompiled schema check, is a prod dependency).
RUN --mount=type=cache,target=/root/.npm \
    npm install --prefix /opt/tsc --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
      "typescript@$(node -p "require('./package-lock.json').packages['node_modules/typescript'].version")" \
      "@types/node@$(node -p "require('./package-lock.json').packages['node_modules/@types/node'].version")" \
      "esbuild@$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")" \
 && mkdir -p node_modules/@types \
 && { [ -e node_modules/@types/node ] || ln -s /opt/tsc/node_modules/@types/node node_modules/@types/node; } \
 && { [ -e node_modules/esbuild ] || ln -s /opt/tsc/node_modules/esbuild node_modules/esbuild; }
# The whole context in one step (.dockerignore keeps it to what the image needs), and /out laid out
# as the runtime's /app, so that the runtime stage copies it in one step too: with buildah's vfs
# driver every committed step is a full copy of the image (test/image), so steps are few.
COPY . ./
RUN MONTAGE_TSC=/opt/tsc/node_modules/typescript/bin/tsc node scripts/build-dist.mjs \
 && test -f dist/cli/main.js && test -f dist/composition/composition-check.js \
 && mkdir -p /out/studio /out/deploy \
 && cp -a package.json schema dist /out/ && cp -a studio/dist /out/studio/ \
 && install -m 0755 deploy/docker/montage /out/deploy/montage

FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe from Debian (what the tests run against); tini as PID 1; the Noto fonts (Latin,
# Greek, Cyrillic and more in core, Chinese/Japanese/Korean in cjk, colour emoji) for text beyond
# the bundled DejaVu (dejavu-fonts-ttf, an npm dependency). No recommends: no X.
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

# The image's only writable places: the data dir (renders' work files, fetch cache; SQLite and
# objects under `serve`) and /tmp. Everything else may be mounted read-only
# (docker run --read-only --tmpfs /tmp -v montage-data:/data …, readOnlyRootFilesystem in Kubernetes).
RUN ln -s /app/deploy/montage /usr/local/bin/montage \
 && mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
EXPOSE 8080

# Liveness of the HTTP roles (serve, api, worker): GET /healthz on MONTAGE_PORT. Node's fetch, as
# the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MONTAGE_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["montage"]
CMD ["serve"]

# The code last, so that a change to it rebuilds as few steps as possible (with buildah's vfs
# driver every step is a full copy of the image): package.json, schema/, studio/dist/, dist/ and
# the wrapper (deploy/montage, `montage` on PATH through the link above).
COPY --from=build /out ./

# The `node` user of the base image, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
