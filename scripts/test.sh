#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what is missing, builds, runs every test
# (unit, plugin, integration), then the same tests again in an ASan+UBSan build.
# SANITIZE=0 skips the sanitizer pass (a quicker local loop; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh

jobs=$(nproc)
# The CI budget is 15 minutes, most of it compiling. Test trees carry line tables only (-g1):
# backtraces and sanitizer reports still name file and line, a third faster than full debug
# info. The first tree is -O1 (a quarter faster to compile than -O2; the demo and release builds
# stay -O2 and meet -O2's warnings there), and gold links (the ASan tree's large test binaries
# above all). Integration tests spend most of their time waiting on erpd and platform-sim, so
# ctest runs twice as many as there are cores.
# Each daemon component compiles as one unity source (ERP_UNITY_BUILD): half the CPU of one
# compile per file. Developer builds keep it off, so an edit recompiles one file.
tree_flags=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=gold
              -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=gold -DERP_UNITY_BUILD=ON)
sanitize=false
if [ "${SANITIZE:-1}" != 0 ] || [ "${CI:-}" = true ]; then sanitize=true; fi

echo "== build (RelWithDebInfo -O1, warnings are errors) =="
BUILD_DIR=build ./scripts/build.sh -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" "${tree_flags[@]}"
echo "== tests (at ${SECONDS}s) =="

if [ "$sanitize" != true ]; then
  ctest --test-dir build --output-on-failure -j "$((jobs * 2))"
  exit 0
fi

# The tests mostly wait on erpd and platform-sim, so the sanitizer tree compiles meanwhile, at a
# lower priority: the tests get the CPU whenever they want it (their timing is what they were
# written for) and the compiler takes what they leave.
tests_log=$(mktemp)
asan_log=$(mktemp)
trap 'rm -f "$tests_log" "$asan_log"' EXIT
ctest --test-dir build --output-on-failure -j "$((jobs * 2))" >"$tests_log" 2>&1 &
tests_pid=$!
echo "(the ASan+UBSan tree builds meanwhile, at low priority)"
asan_built=0
nice -n 15 env BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DERP_SANITIZE=ON -DERP_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_DEBUG="-g1" "${tree_flags[@]}" >"$asan_log" 2>&1 || asan_built=$?
tests_ok=0
wait "$tests_pid" || tests_ok=$?
cat "$tests_log"
[ "$tests_ok" = 0 ] || { echo "tests failed (exit $tests_ok)" >&2; exit "$tests_ok"; }

echo "== build (ASan+UBSan), done at ${SECONDS}s =="
cat "$asan_log"
[ "$asan_built" = 0 ] || { echo "the ASan+UBSan build failed (exit $asan_built)" >&2; exit "$asan_built"; }
echo "== tests under ASan+UBSan (at ${SECONDS}s) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$((jobs * 2))"
echo "== done in ${SECONDS}s =="
