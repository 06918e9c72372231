#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what is missing, builds, and runs every test
# (unit, plugin, integration) under ASan+UBSan.
# SANITIZE=0 builds and runs them uninstrumented instead (a quicker local loop; CI never does).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh

jobs=$(nproc)
# The CI budget is 15 minutes, most of it compiling, so CI builds one tree and runs every test in
# it under ASan+UBSan: a second, uninstrumented tree cost five more minutes and found nothing the
# sanitizers missed. The tree is -Og (optimized only where it keeps debugging and the -O warnings,
# maybe-uninitialized among them, for a tenth more compile time than -O0; -O1 under ASan doubles
# it) with line tables only (-g1: sanitizer reports still name file and line), and gold links.
# Each daemon component compiles as one unity source (ERP_UNITY_BUILD): half the CPU of one
# compile per file. Developer builds keep it off, so an edit recompiles one file. The benchmarks
# are not built here; the demo's -O2 build (scripts/demo.sh) builds them.
# Integration tests spend most of their time waiting on erpd and platform-sim, so ctest runs twice
# as many as there are cores.
tree_flags=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=gold
              -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=gold -DERP_UNITY_BUILD=ON)

if [ "${SANITIZE:-1}" = 0 ] && [ "${CI:-}" != true ]; then
  echo "== build (RelWithDebInfo -O1, warnings are errors) =="
  BUILD_DIR=build ./scripts/build.sh -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" "${tree_flags[@]}"
  echo "== tests (at ${SECONDS}s) =="
  ctest --test-dir build --output-on-failure -j "$((jobs * 2))"
  echo "== done in ${SECONDS}s =="
  exit 0
fi

echo "== build (ASan+UBSan, -Og, warnings are errors) =="
BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DERP_SANITIZE=ON -DERP_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_DEBUG="-Og -g1" "${tree_flags[@]}"
echo "== tests under ASan+UBSan (at ${SECONDS}s) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$((jobs * 2))"
echo "== done in ${SECONDS}s =="
