#!/usr/bin/env bash
# Runs each fuzz target for a bounded time: FUZZ_SECONDS per target (default 60).
#
# Needs `cargo fuzz` (`cargo install cargo-fuzz`) and a nightly toolchain; without them it says so
# and exits 0, so that CI machines without them skip fuzzing rather than fail. A crash fails the
# script (exit 1) and leaves the input that caused it under fuzz/artifacts/<target>/; replay it with
# `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`.
#
# The `raw` target starts from the descriptions under tests/catalogue/, tests/fixtures/ and spec/,
# so that it begins with real YAML and JSON instead of discovering them byte by byte.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-60}"
targets=(raw structured)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: skipped: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi

mkdir -p corpus/raw corpus/structured
for seed in ../tests/catalogue/*.* ../tests/catalogue/*/*.* ../tests/fixtures/*.* ../spec/*/*.*; do
    [ -f "$seed" ] || continue
    # Seeds bigger than libFuzzer's input limit would only be truncated.
    [ "$(wc -c <"$seed")" -le 65536 ] || continue
    cp "$seed" "corpus/raw/seed-$(basename "$(dirname "$seed")")-$(basename "$seed")"
done

status=0
for target in "${targets[@]}"; do
    echo "fuzz: running $target for ${seconds}s"
    args=(-max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30)
    if [ "$target" = raw ]; then
        args+=(-max_len=65536)
    else
        args+=(-max_len=8192)
    fi
    if ! cargo +nightly fuzz run "$target" "corpus/$target" -- "${args[@]}"; then
        echo "fuzz: $target FAILED; the input is under fuzz/artifacts/$target/"
        status=1
    fi
done
exit "$status"
