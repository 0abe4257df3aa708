#!/usr/bin/env bash
# Installs the Debian packages Mitra's demo and tests need, when they are missing:
# Java 17 and Maven (the local engine), openssl (TLS tests), Debian's Chromium
# (end-to-end tests; no browser is downloaded). Called by `npm run demo` and
# `npm test`; does nothing when everything is there.
#   scripts/ensure-system.sh demo|test
set -euo pipefail
purpose="${1:-test}"

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
if [ "$purpose" = test ]; then
  command -v openssl >/dev/null || missing+=(openssl)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "mitra: missing Debian packages ${missing[*]}: run sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "mitra: installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
