#!/usr/bin/env bash
# install-deps.sh: the one list of Debian packages floe needs to build and test.
# Installs whatever is missing with apt-get when run as root; otherwise prints
# the exact command to run. Called by `make` and `make test`; idempotent and
# quiet when everything is present. (postgresql: the server binaries for the
# catalog tests, which start a throwaway server of their own.)
set -eu

PACKAGES=(
  build-essential pkg-config clang
  libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev
  libjansson-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  libmicrohttpd-dev libedit-dev libpcre2-dev
  zstd python3
  postgresql
)
# Node.js (for the interop tests and benchmarks) may come from Debian's nodejs
# or from NodeSource, whose nodejs bundles npm; only install it when absent.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: missing packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
