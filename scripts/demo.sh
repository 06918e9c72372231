#!/usr/bin/env bash
# The demo, as README.md gives it: installs what is missing, builds, starts erpd with
# config/demo.yaml and shows `erpctl status`. In a terminal erpd keeps running until Ctrl-C;
# otherwise (CI, a pipe) it is stopped after the status is shown.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh
TARGETS="erpd erpctl" ./scripts/build.sh

config=config/demo.yaml
erpd=build/bin/erpd
erpctl=build/bin/erpctl
mkdir -p build/demo

"$erpd" check-config "$config"
"$erpd" --config "$config" 2> >(tee build/demo/erpd.log >&2) &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  kill -0 $pid 2>/dev/null || { echo "demo: erpd exited; see build/demo/erpd.log" >&2; exit 1; }
  "$erpctl" --config "$config" status >/dev/null 2>&1 && break
  sleep 0.1
done
echo
"$erpctl" --config "$config" status
echo

if [ -t 0 ] && [ "${CI:-}" != true ]; then
  echo "erpd is running (pid $pid). In another terminal, for example:"
  echo "  $erpctl --config $config orders list"
  echo "  curl -s -H \"Authorization: Bearer \$(cat build/demo/api.token)\" http://127.0.0.1:7878/metrics"
  echo "Ctrl-C stops it."
  wait $pid
fi
