#!/bin/sh
# Run one fuzz target for a while on a persistent corpus, for throughput:
#   fuzz/run.sh <compile|lint> <seconds> [extra libFuzzer flags]
# Build first (nightly, optimised, debug assertions, no sanitizer, no
# compare tracing — memory safety is Rust's, and the tracing cost half of
# each execution):
#   cargo +nightly fuzz build -O -a -s none --no-trace-compares --target-dir target/fuzz
# and seed with fuzz/seed.sh. New inputs go to target/fuzz-corpus/run-<target>,
# findings to target/fuzz-artifacts/<target>/ (a `timeout-…` one is an input
# over 1 s), the log to target/fuzz-logs/<target>-<time>.log; its
# `stat::number_of_executed_units` counts the executions of the run.
#
# Entropic scheduling and counter features are off and inputs are capped:
# with them, libFuzzer's bookkeeping of the features an input hits cost more
# than sluice itself (two thirds of an execution of `compile`).
set -eu
t=$1
secs=$2
shift 2
case $t in
  compile) max_len=8192 ;;
  lint) max_len=4096 ;;
  *) echo "fuzz/run.sh: unknown target $t (compile or lint)" >&2; exit 2 ;;
esac
bin=target/fuzz/x86_64-unknown-linux-gnu/release/$t
mkdir -p "target/fuzz-corpus/run-$t" "target/fuzz-artifacts/$t" target/fuzz-logs
log=target/fuzz-logs/$t-$(date -u +%Y%m%dT%H%M%S).log
echo "fuzz/run.sh: $t for ${secs}s, log $log" >&2
exec "$bin" "target/fuzz-corpus/run-$t" "target/fuzz-corpus/$t" \
  -timeout=1 -rss_limit_mb=2048 -max_total_time="$secs" -print_final_stats=1 \
  -max_len=$max_len -entropic=0 -use_counters=0 -reduce_inputs=0 \
  -artifact_prefix="target/fuzz-artifacts/$t/" "$@" > "$log" 2>&1
