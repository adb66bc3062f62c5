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
  # Scripts run side by side: one builds under a lock (into its own
  # temporary name), the others wait for it and find it fresh.
  (
    flock -w 120 9 || { echo "mkarchive: no lock on $MKARCHIVE.lock in 120 s" >&2; exit 1; }
    if [ -x "$MKARCHIVE" ] && [ "$MKARCHIVE" -nt "$src" ] && [ "$MKARCHIVE" -nt "$lib" ]; then
      exit 0
    fi
    pkgs=$(grep -v "^#" "$NA_SRCDIR/mk/pkgs") || exit 1
    san=""
    [ "${NA_ASAN:-0}" = 1 ] && san="-fsanitize=address,undefined -fno-omit-frame-pointer"
    # shellcheck disable=SC2046
    cc -std=gnu11 -O1 -g $san -I"$NA_SRCDIR" -D_GNU_SOURCE $(pkg-config --cflags $pkgs) \
       -o "$MKARCHIVE.tmp$$" "$src" "$lib" $(pkg-config --libs $pkgs) -lpthread -lm &&
      mv "$MKARCHIVE.tmp$$" "$MKARCHIVE"
  ) 9>"$MKARCHIVE.lock"
}
