#!/usr/bin/env bash
# deps.sh — installs what newsarc needs on Debian 12, only what is missing.
#   mk/deps.sh build   the -dev libraries and tools to build newsarc
#   mk/deps.sh test    + what the test suite uses (python3, npm warcio, sqlite3)
#   mk/deps.sh bench   + nginx, wget2 for the benchmarks
#   mk/deps.sh fuzz    + clang and its sanitizer runtimes
set -eu
what=${1:-build}
pkgs="build-essential pkg-config python3 libcurl4-openssl-dev libgumbo-dev libxml2-dev libsqlite3-dev
      zlib1g-dev libdeflate-dev libssl-dev libuchardet-dev libinih-dev libjansson-dev libidn2-dev
      libmicrohttpd-dev"
case $what in
  test) pkgs="$pkgs python3 sqlite3 nodejs npm curl nginx-light openssl" ;;
  bench) pkgs="$pkgs python3 nginx-light wget2 wget time" ;;
  fuzz|asan) pkgs="$pkgs clang libclang-rt-14-dev python3 sqlite3 nodejs npm" ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# nodejs may come from elsewhere (e.g. a preinstalled node): accept a working npm.
if command -v npm >/dev/null 2>&1; then missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//'); fi
if [ -n "${missing// /}" ]; then
  echo "deps: installing$missing" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
# Chromium drives tests/scripts/serve_browser.sh; a machine without it
# still runs the rest of the suite (that script then skips, saying why).
# fonts-wqy-microhei (1.6 MB) gives its screenshots Chinese glyphs.
if [ "$what" = test ] && ! dpkg-query -W -f='${Status}\n' chromium fonts-wqy-microhei 2>/dev/null |
     grep -c "ok installed" | grep -q 2; then
  echo "deps: installing chromium and fonts-wqy-microhei (for serve_browser.sh)" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium \
    fonts-wqy-microhei >&2 ||
    echo "deps: chromium could not be installed; serve_browser.sh will be skipped" >&2
fi
case $what in
  test|asan|fuzz)
    here=$(cd "$(dirname "$0")/.." && pwd)
    if [ ! -f "$here/build/npm/node_modules/warcio/package.json" ]; then
      echo "deps: installing npm warcio into build/npm" >&2
      mkdir -p "$here/build/npm"
      (cd "$here/build/npm" && npm install --silent --no-audit --no-fund warcio@2 >&2) ||
        echo "deps: npm warcio could not be installed; its tests will be skipped" >&2
    fi ;;
esac
exit 0
