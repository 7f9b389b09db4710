#!/usr/bin/env bash
# Runs the tests the way a busy machine runs them: `npm test` (or the command given after --)
# N times in a row (default 3), each beside `stress-ng --cpu 4`, and exits non-zero if any run
# failed. Installs Debian's stress-ng when it is missing.
#
#   scripts/test-under-load.sh                 # npm test, three times
#   scripts/test-under-load.sh 5               # five times
#   scripts/test-under-load.sh 3 -- npx vitest run src/server/email src/server/http
set -euo pipefail

runs=3
if [[ $# -gt 0 && $1 != -- ]]; then
  runs=$1
  shift
fi
if [[ $# -gt 0 && $1 == -- ]]; then shift; fi
if [[ $# -gt 0 ]]; then command=("$@"); else command=(npm test); fi
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [runs] [-- command ...]" >&2
  exit 2
fi

if ! command -v stress-ng >/dev/null 2>&1; then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  echo "test-under-load: installing stress-ng" >&2
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y stress-ng
fi

cd "$(dirname "$0")/.."

stress=''
stop_stress() {
  if [[ -n $stress ]]; then
    kill "$stress" 2>/dev/null || true
    wait "$stress" 2>/dev/null || true
    stress=''
  fi
}
trap stop_stress EXIT
trap 'exit 130' INT TERM

failed=0
summary=()
for ((run = 1; run <= runs; run++)); do
  # The 600 s limit is a safety net: stress-ng stops by itself if this script is killed.
  stress-ng --cpu 4 --timeout 600 --quiet &
  stress=$!
  started=$SECONDS
  if "${command[@]}"; then outcome=passed; else outcome=FAILED; failed=$((failed + 1)); fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  stop_stress
  summary+=("run $run of $runs: $outcome in $((SECONDS - started)) s (load average $load)")
  echo "test-under-load: ${summary[-1]}"
done

printf 'test-under-load: %s\n' "${summary[@]}"
if ((failed > 0)); then
  echo "test-under-load: $failed of $runs runs failed" >&2
  exit 1
fi
echo "test-under-load: all $runs runs passed"
