#!/usr/bin/env bash
# Instructions and heap allocations per authorized GET, client and server,
# ours and raw reqwest: the per_request bench binary under valgrind
# (callgrind counts instructions, DHAT counts allocations), run with two
# request counts; the difference divided by the extra requests removes
# start-up and warm-up. Counts, not times: the machine's load does not move
# them. About a minute and a half. Needs valgrind (`apt-get install -y valgrind`).
set -euo pipefail
cd "$(dirname "$0")/../.."
LOW=${LOW:-1000}
HIGH=${HIGH:-3000}
# IN_FLIGHT=1 counts requests sent one at a time (64 by default).
IN_FLIGHT=${IN_FLIGHT:-64}
# BIN=path/to/a/per_request/binary measures that one instead (e.g. a copy
# built from an earlier commit, to compare).
if [ -z "${BIN:-}" ]; then
  cargo bench -q -p authorized-tests --bench per_request --no-run 2>/dev/null
  BIN=$(ls -t target/release/deps/per_request-* | grep -v '\.d$' | head -1)
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Total of one valgrind output file: callgrind's "summary:" line, or the
# blocks DHAT saw allocated (its program points' "tbk").
total() {
  case "$1" in
    *callgrind*) grep '^summary:' "$1" | awk '{print $2}' ;;
    *dhat*) python3 -c "import json,sys; print(sum(p['tbk'] for p in json.load(open(sys.argv[1]))['pps']))" "$1" ;;
  esac
}

for side in ours raw; do
  for tool in callgrind dhat; do
    for n in "$LOW" "$HIGH"; do
      valgrind -q --tool="$tool" --trace-children=yes \
        --"$tool"-out-file="$OUT/$tool.$side.$n.%p" \
        "$BIN" --requests "$side" "$n" "$IN_FLIGHT" >/dev/null 2>&1
    done
    # The client starts first, so its pid is the lower one.
    for role in client server; do
      pick() { ls "$OUT"/"$tool.$side.$1".* | sort -t. -k4 -n | { if [ "$role" = client ]; then head -1; else tail -1; fi; }; }
      lo=$(total "$(pick "$LOW")")
      hi=$(total "$(pick "$HIGH")")
      per=$(python3 -c "print(f'{($hi - $lo) / ($HIGH - $LOW):.1f}')")
      what=$([ "$tool" = callgrind ] && echo instructions || echo allocations)
      echo "per_request/$side/$role: $per $what per request"
    done
  done
done
