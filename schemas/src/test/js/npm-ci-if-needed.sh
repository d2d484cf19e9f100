#!/bin/sh
# Installs the interop test's npm packages with `npm ci`, but only when package-lock.json changed since the last
# install (a fresh `npm ci` takes ~15 s). Without npm the interop tests fail, naming what is missing.
set -eu
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: cannot install @confluentinc/schemaregistry; the Confluent JS interop tests will fail"
  exit 0
fi
stamp=node_modules/.sightline-installed-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund
cp package-lock.json "$stamp"
