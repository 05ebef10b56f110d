#!/usr/bin/env bash
# Builds a local Node.js base image without any container registry: a Debian bookworm root
# filesystem from debootstrap (Debian's mirror is reachable as a package registry) plus this
# machine's own `node` and `npm`, imported with `docker import`. The project's Dockerfile then
# builds FROM it:  docker build --build-arg NODE_IMAGE=ecs-gitops-node-base:local --network host .
#
#   docker/build-base-image.sh [--force] [IMAGE]      (IMAGE defaults to ecs-gitops-node-base:local)
#
# Caching: the image is not rebuilt when it exists and carries the same Node version; the
# debootstrapped root filesystem is kept as a tarball in ~/.cache/ecs-gitops/base-image/ (outside
# the working tree, which tests and `npm start` clean), so a rebuild after `docker rmi` takes
# seconds, not minutes.
# Layout mirrors the official node images: /usr/local/bin/node, /usr/local/lib/node_modules/npm.
set -euo pipefail

force=0
if [[ "${1:-}" == "--force" ]]; then
  force=1
  shift
fi
image="${1:-ecs-gitops-node-base:local}"
cache_dir="${ECS_GITOPS_BASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-gitops/base-image}"
suite=bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# git + openssh-client: simple-git shells out to git (ssh remotes need ssh); tini: PID 1 that
# forwards signals and reaps git's zombies; libstdc++6: node links it dynamically.
packages=git,openssh-client,tini,ca-certificates,libstdc++6

node_bin="$(command -v node)"
node_version="$("$node_bin" --version)"
npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"

existing="$(docker image inspect --format '{{ index .Config.Labels "org.ecs-gitops.node-version" }}' "$image" 2>/dev/null || true)"
if ((force == 0)) && [[ "$existing" == "$node_version" ]]; then
  echo "base image: $image exists (node $node_version), skipping"
  exit 0
fi

mkdir -p "$cache_dir"
rootfs_tar="$cache_dir/$suite-minbase-$(echo "$packages" | md5sum | cut -c1-8).tar"
work="$(mktemp -d "${TMPDIR:-/tmp}/ecs-gitops-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [[ ! -s "$rootfs_tar" ]]; then
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install -y debootstrap)" >&2; exit 1; }
  echo "base image: debootstrap $suite ($packages) from $mirror"
  debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" \
    >"$cache_dir/debootstrap.log" 2>&1 || { tail -n 30 "$cache_dir/debootstrap.log" >&2; exit 1; }
  # What an image never needs: package caches and indexes, docs, man pages, translations.
  rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/* \
    "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/* "$work/rootfs"/usr/share/info/* \
    "$work/rootfs"/usr/share/locale/* "$work/rootfs"/var/log/*.log "$work/rootfs"/var/cache/debconf/*-old
  tar -C "$work/rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
else
  echo "base image: reusing cached root filesystem $rootfs_tar"
  mkdir -p "$work/rootfs"
  tar -C "$work/rootfs" -xf "$rootfs_tar"
fi

install -m 0755 "$node_bin" "$work/rootfs/usr/local/bin/node"
mkdir -p "$work/rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$work/rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
"$work/rootfs/usr/local/bin/node" --version >/dev/null

# The machine's own extra certificate authorities (a TLS-inspecting egress proxy, a corporate CA):
# without them npm inside `docker build` cannot reach the registry. Node reads them through
# NODE_EXTRA_CA_CERTS (it ignores the system store otherwise).
extra_cas=(/usr/local/share/ca-certificates/*.crt)
if [[ -e "${extra_cas[0]}" ]]; then
  mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
  cp "${extra_cas[@]}" "$work/rootfs/usr/local/share/ca-certificates/"
  chroot "$work/rootfs" update-ca-certificates >/dev/null 2>&1 \
    || cat "${extra_cas[@]}" >>"$work/rootfs/etc/ssl/certs/ca-certificates.crt"
fi

echo "base image: importing $image (node $node_version)"
tar -C "$work/rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change "LABEL org.ecs-gitops.node-version=$node_version" \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
docker image ls "$image" --format 'base image: {{.Repository}}:{{.Tag}} {{.Size}}'
