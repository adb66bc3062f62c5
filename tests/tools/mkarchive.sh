# mkarchive.sh — sourced by tests and benches: sets MKARCHIVE to
# $NA_BUILD/tools/mkarchive (tests/tools/mkarchive.c, which the Makefile builds
# with the rest of make test / make asan). Needs NA_BUILD.
build_mkarchive() {
  MKARCHIVE="$NA_BUILD/tools/mkarchive"
  [ -x "$MKARCHIVE" ] || { echo "mkarchive: $MKARCHIVE is missing (make test builds it)" >&2; return 1; }
}
