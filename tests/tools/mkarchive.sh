# mkarchive.sh — sourced by tests and benches: builds tests/tools/mkarchive.c
# against $NA_BUILD/libnewsarc.a (with the sanitizers when NA_ASAN=1) into
# $NA_BUILD/mkarchive, if it is missing or older than its inputs, and sets
# MKARCHIVE to its path. Needs NA_SRCDIR and NA_BUILD.
build_mkarchive() {
  local src="$NA_SRCDIR/tests/tools/mkarchive.c" lib="$NA_BUILD/libnewsarc.a"
  MKARCHIVE="$NA_BUILD/mkarchive"
  if [ ! -f "$lib" ]; then
    echo "mkarchive: $lib is missing (run make first)" >&2
    return 1
  fi
  if [ -x "$MKARCHIVE" ] && [ "$MKARCHIVE" -nt "$src" ] && [ "$MKARCHIVE" -nt "$lib" ]; then
    return 0
  fi
  local pkgs san=""
  pkgs=$(grep -v "^#" "$NA_SRCDIR/mk/pkgs") || return 1
  [ "${NA_ASAN:-0}" = 1 ] && san="-fsanitize=address,undefined -fno-omit-frame-pointer"
  # shellcheck disable=SC2046
  cc -std=gnu11 -O1 -g $san -I"$NA_SRCDIR" -D_GNU_SOURCE $(pkg-config --cflags $pkgs) \
     -o "$MKARCHIVE.tmp" "$src" "$lib" $(pkg-config --libs $pkgs) -lpthread -lm &&
    mv "$MKARCHIVE.tmp" "$MKARCHIVE"
}
