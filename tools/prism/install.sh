#!/usr/bin/env bash
# Installs Stoplight Prism, pinned by package-lock.json, into tools/prism/node_modules: the
# validating mock server of the conformance test (tests/conformance.rs, cargo xtask conformance).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
    echo "npm is not installed: the conformance test will be skipped" >&2
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
