#!/usr/bin/env bash
# Installs the Debian 12 packages erpd needs to build and test, only those missing.
# Works as root or as a user with sudo. Nothing is downloaded from anywhere but Debian's mirrors.
set -euo pipefail

packages=(
  cmake g++ make pkg-config binutils
  libboost-dev libboost-filesystem-dev
  libyaml-cpp-dev libcurl4-openssl-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev
  doctest-dev nlohmann-json3-dev libsystemd-dev libssl-dev libpugixml-dev
  curl procps
  systemd dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup-deps: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
