#!/usr/bin/env bash
# Builds the local base image that the Dockerfile's NODE_IMAGE stands for where no registry can be
# reached (no node:20-bookworm-slim to pull): Debian bookworm from debootstrap (--variant=minbase),
# plus this machine's own Node.js 20 and npm, copied in.
#
#   deploy/docker/build-base.sh [IMAGE]        (default localhost/montage-base:bookworm-node20)
#
# Needs root, buildah and debootstrap (apt-get install buildah debootstrap). Prints the image name.
# Cached: the debootstrap tree is kept under $MONTAGE_IMAGE_CACHE (default /var/cache/montage-image)
# and the image itself in buildah's store, so a second run only checks that the image exists, for the
# same Node version. Storage driver vfs (overlay needs kernel support this sandbox lacks).
#
# Why the machine's node rather than the npm registry's `node` package: it is the exact Node the
# test suite ran on (one binary, no second download), and it is NodeSource's build, linked only
# against glibc and libstdc++, which minbase bookworm has. The registry's `node` package would need
# npm inside the chroot to fetch a platform tarball first.
set -euo pipefail
IMAGE=${1:-localhost/montage-base:bookworm-node20}
CACHE=${MONTAGE_IMAGE_CACHE:-/var/cache/montage-image}
MIRROR=${MONTAGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
B=(buildah --storage-driver vfs)
say() { printf 'build-base: %s\n' "$*" >&2; }

node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" --version)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")   # …/node_modules/npm
case "$node_version" in v20.*) ;; *) say "Node 20 expected, found $node_version"; exit 1 ;; esac

# Same image for the same Node and the same extra certificate authorities: nothing to do.
key="$node_version $(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-16)"
if [ "$("${B[@]}" inspect --type image --format '{{index .ImageAnnotations "org.montage.base"}}' "$IMAGE" 2>/dev/null || true)" = "$key" ]; then
  say "cached: $IMAGE (node $node_version)"
  echo "$IMAGE"; exit 0
fi

rootfs="$CACHE/bookworm-minbase"
if [ ! -f "$rootfs/.complete" ]; then
  say "debootstrap --variant=minbase bookworm into $rootfs"
  rm -rf "$rootfs"; mkdir -p "$CACHE"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  touch "$rootfs/.complete"
fi

say "assembling $IMAGE (node $node_version)"
ctr=$("${B[@]}" from scratch)
trap '"${B[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$("${B[@]}" mount "$ctr")
tar -C "$rootfs" --exclude=./.complete -cf - . | tar -C "$mnt" -xpf -
install -D -m 0755 "$node_bin" "$mnt/usr/local/bin/node"
mkdir -p "$mnt/usr/local/lib/node_modules"
cp -a "$npm_dir" "$mnt/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
# This machine's own extra certificate authorities (a TLS-inspecting egress proxy, for one), so that
# npm and Node inside the builds trust what the host trusts: NODE_EXTRA_CA_CERTS for Node, and
# /usr/local/share/ca-certificates for Debian's ca-certificates package when a stage installs it.
extra_cas=$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
if [ -n "$extra_cas" ]; then
  mkdir -p "$mnt/usr/local/share/ca-certificates"
  cp $extra_cas "$mnt/usr/local/share/ca-certificates/"
  mkdir -p "$mnt/etc/ssl"; cat $extra_cas > "$mnt/etc/ssl/host-extra-ca.pem"
  ca_env=(--env NODE_EXTRA_CA_CERTS=/etc/ssl/host-extra-ca.pem)
else
  ca_env=()
fi
# The `node` user of the official image, uid/gid 1000, so the Dockerfile's USER 1000 has a name.
chroot "$mnt" /usr/sbin/groupadd --gid 1000 node
chroot "$mnt" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
"${B[@]}" umount "$ctr" >/dev/null
"${B[@]}" config "${ca_env[@]}" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="${node_version#v}" --cmd node \
  --annotation org.montage.base="$key" "$ctr"
"${B[@]}" commit --quiet "$ctr" "$IMAGE" >/dev/null
say "built $IMAGE"
echo "$IMAGE"
