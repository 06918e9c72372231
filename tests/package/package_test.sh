#!/usr/bin/env bash
# The Debian package, as a merchant's IT person installs it: built with cpack from this build tree,
# unpacked into a scratch root, and checked for what must be there (binaries, plugins, the unit,
# the calendars as conffiles, the example config, the SDK with its CMake package, erp-plugin-check
# and the platform-sim it runs), what must not (test plugins, benchmarks, a platform-sim anywhere
# but /usr/libexec/erpd), that the binaries run, that erp-plugin-check as packaged passes the
# packaged Tmall plugin and the template built against the packaged SDK, and that the unit passes
# `systemd-analyze verify` with an exposure of at most 2.0.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/erp-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/erpd_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$work/cpack.log"; fail "cpack made no erpd_*.deb"; }
echo "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

info=$(dpkg-deb --info "$deb")
grep -q '^ Package: erpd$' <<<"$info" || fail "control: Package is not erpd"
grep -q '^ Depends:.*libc6' <<<"$info" || fail "control: Depends names no shared libraries (shlibdeps): $(grep Depends <<<"$info")"
grep -q '^ Depends:.*adduser' <<<"$info" || fail "control: Depends lacks adduser (postinst creates the erpd user)"
for script in postinst prerm postrm conffiles; do
  grep -q " $script\$\| $script " <<<"$info" || fail "control: no $script"
done

root=$work/root
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$work/control"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
expect=(
  usr/bin/erpd usr/bin/erpctl
  "usr/lib/$multiarch/erpd/plugins/erp-taobao.so" "usr/lib/$multiarch/erpd/plugins/erp-tmall.so"
  "usr/lib/$multiarch/erpd/plugins/erp-douyin.so" "usr/lib/$multiarch/erpd/plugins/erp-qimen.so"
  usr/lib/systemd/system/erpd.service
  etc/erpd/calendars/tmall-2023-spring-festival.yaml etc/erpd/calendars/tmall-2024-spring-festival.yaml
  etc/erpd/calendars/douyin-sale-event-rules.yaml
  usr/share/doc/erpd/examples/erpd.example.yaml usr/share/doc/erpd/api.md usr/share/doc/erpd/deadlines.md
  usr/include/erp/adapter.hpp usr/include/erp/model.hpp
  "usr/lib/$multiarch/cmake/erp-sdk/erp-sdkConfig.cmake" "usr/lib/$multiarch/cmake/erp-sdk/ErpPlugin.cmake"
  usr/share/erpd/plugin-template/CMakeLists.txt usr/share/erpd/plugin-template/example_plugin.cpp
  usr/bin/erp-plugin-check usr/libexec/erpd/platform-sim
)
for f in "${expect[@]}"; do [ -e "$root/$f" ] || fail "missing /$f"; done
for f in $(find "$root" -type f -printf '%P\n'); do
  case "$f" in
    # platform-sim is packaged for erp-plugin-check alone: out of PATH, beside nothing erpd loads.
    usr/libexec/erpd/platform-sim) ;;
    *platform-sim*|*erp-test_*|*erp-pcheck_*|*bench_*|*_tests) fail "/$f does not belong in the package" ;;
  esac
done
for f in etc/erpd/calendars/tmall-2024-spring-festival.yaml etc/erpd/calendars/douyin-sale-event-rules.yaml; do
  grep -qx "/$f" "$work/control/conffiles" || fail "/$f is not a conffile"
done
echo "layout: $(find "$root" -type f | wc -l) files, all expected ones present"

# The binaries run from where the package puts them, with only Debian's libraries.
"$root/usr/bin/erpd" --version | grep -q '^erpd ' || fail "erpd --version"
"$root/usr/bin/erpctl" --help >/dev/null || fail "erpctl --help"
"$root/usr/bin/erp-plugin-check" --help | grep -q '^usage: erp-plugin-check PLUGIN.so' || fail "erp-plugin-check --help"
"$root/usr/libexec/erpd/platform-sim" --help | grep -q '^usage: platform-sim' || fail "platform-sim --help"

# The packaged plugins load as erpd loads them (manifest, toolchain, permissions), with the
# packaged calendars beside the config as /etc/erpd has them.
mkdir -p "$work/etc"
cp -r "$root/etc/erpd/calendars" "$work/etc/calendars"
cat >"$work/etc/erpd.yaml" <<YAML
database: {path: $work/state/erpd.db}
plugins: {dir: $root/usr/lib/$multiarch/erpd/plugins}
api: {listen: "127.0.0.1:0", token_file: $work/state/api.token}
shops:
  - {id: tm1, platform: tmall, base_url: "http://127.0.0.1:9/router/rest", app_key: k, app_secret: s, session: x}
  - {id: tb1, platform: taobao, base_url: "http://127.0.0.1:9/router/rest", app_key: k, app_secret: s, session: x}
  - {id: dy1, platform: douyin, base_url: "http://127.0.0.1:9", app_key: k, app_secret: s, access_token: x}
YAML
"$root/usr/bin/erpd" check-config "$work/etc/erpd.yaml" || fail "erpd check-config refuses the packaged plugins or calendars"
echo "check-config: the packaged plugins and calendars load"

# A plugin author's first build: the template, against the SDK and CMake package as installed.
cmake -S "$root/usr/share/erpd/plugin-template" -B "$work/template" -DCMAKE_PREFIX_PATH="$root/usr" \
  >"$work/template.log" 2>&1 &&
  cmake --build "$work/template" >>"$work/template.log" 2>&1 || { cat "$work/template.log"; fail "the plugin template does not build against the installed SDK"; }
[ -f "$work/template/erp-example.so" ] || fail "the template built no erp-example.so"
nm -D --defined-only "$work/template/erp-example.so" | grep -q ' erp_plugin_manifest$' ||
  fail "erp-example.so exports no erp_plugin_manifest"
echo "plugin template: erp-example.so built against the installed erp-sdk"

# What a plugin author runs next: the packaged erp-plugin-check, finding the packaged platform-sim
# beside it (../libexec/erpd), against the packaged Tmall plugin and the template just built.
plugin_check() {
  "$root/usr/bin/erp-plugin-check" "$@" >"$work/plugin-check.log" 2>&1 ||
    { cat "$work/plugin-check.log"; fail "erp-plugin-check $* did not pass"; }
  tail -1 "$work/plugin-check.log"
}
plugin_check "$root/usr/lib/$multiarch/erpd/plugins/erp-tmall.so"
chmod 0755 "$work/template" && chmod 0644 "$work/template/erp-example.so"
plugin_check "$work/template/erp-example.so"

# The unit, as installed. verify checks that the commands exist, and this host has no
# /usr/bin/erpd: a copy pointing at the unpacked binaries is verified against the host's systemd.
unit=$root/usr/lib/systemd/system/erpd.service
grep -q '^ExecStart=/usr/bin/erpd --config /etc/erpd/erpd.yaml$' "$unit" || fail "ExecStart is not /usr/bin/erpd"
mkdir "$work/unit"
sed "s|/usr/bin/erpd|$root/usr/bin/erpd|g" "$unit" >"$work/unit/erpd.service"
systemd-analyze verify "$work/unit/erpd.service" 2>&1 | tee "$work/verify.log"
[ ! -s "$work/verify.log" ] || fail "systemd-analyze verify is not clean"
systemd-analyze security --offline=true --root="$root" --threshold=20 /usr/lib/systemd/system/erpd.service \
  >"$work/security.log" 2>&1 || { cat "$work/security.log"; fail "exposure above 2.0"; }
grep 'Overall exposure level' "$work/security.log"
