#!/usr/bin/env bash
# Installs openapi-generator (PyPI `openapi-generator-cli`, pinned below; the package carries the
# generator's jar and needs Java) into tools/openapi-generator/.venv: the peer that `cargo xtask bench`
# measures this project against, generation and `cargo check` of its Rust output side by side.
#
# Prints nothing on success; the command is tools/openapi-generator/.venv/bin/openapi-generator-cli.
# Exits 0 without installing when Python or Java is absent (the bench then leaves the peer out).
set -euo pipefail
cd "$(dirname "$0")"
version=7.26.0
if ! command -v python3 >/dev/null || ! command -v java >/dev/null; then
    echo "openapi-generator: python3 or java is not installed: the bench will leave the peer out" >&2
    exit 0
fi
if [ -x .venv/bin/openapi-generator-cli ] \
    && .venv/bin/python -m pip show openapi-generator-cli 2>/dev/null | grep -qx "Version: $version"; then
    exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check "openapi-generator-cli==$version"
