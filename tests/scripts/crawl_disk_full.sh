#!/bin/bash
# crawl_disk_full.sh — a real full disk: the archive on a 2 MB tmpfs, a crawl
# of 2 x 120 articles (about 3 MB of WARC) runs out of space in the middle.
# That run and the next one (the disk still full) exit 1 with a message
# naming the archive and "no space left on device" (not 2, "usage"); then
# the space is freed (the tmpfs remounted bigger) and the next run archives
# every article exactly once, and verify is clean. Needs root for mount;
# exits 77 (skip) when mounting is impossible. Always unmounts.
. "$(dirname "$0")/crawl_common.bash"

DISK="$T/disk"
mkdir -p "$DISK"
MOUNTED=
umount_disk() {
    if [ -n "$MOUNTED" ]; then
        umount "$DISK" 2>/dev/null || umount -l "$DISK" 2>/dev/null || true
        MOUNTED=
    fi
}
trap 'umount_disk; cleanup' EXIT
if ! mount -t tmpfs -o size=2m tmpfs "$DISK" 2>/dev/null; then
    echo "skip: cannot mount a tmpfs here (needs root)" >&2
    exit 77
fi
MOUNTED=1

# The site set of crawl_kill_torture.sh (the same cached fixture): start_torture_server (crawl_common.bash).
start_torture_server "$DISK/archive"

run() { # run N: a quiet crawl; sets RC, stderr in $T/errN
    set +e
    "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/out$1" 2>"$T/err$1"
    RC=$?
    set -e
}
expect_full() { # N what
    [ $RC = 1 ] || { cat "$T/err$1" >&2; fail "$2 exited $RC, expected 1"; }
    grep -q "no space left on device" "$T/err$1" || { cat "$T/err$1" >&2; fail "$2: no 'no space left on device'"; }
    grep -qF "$DISK/archive" "$T/err$1" || { cat "$T/err$1" >&2; fail "$2: the message does not name the archive"; }
    if grep -qi "database or disk is full" "$T/err$1"; then fail "$2: SQLite's message instead of ours: $(cat "$T/err$1")"; fi
}

run 1
echo "full disk, first run: exit $RC: $(grep -m1 'no space' "$T/err1" || head -1 "$T/err1")"
expect_full 1 "the run that filled the disk"
# still full: the next run must say so the same way
run 2
echo "full disk, second run: exit $RC: $(grep -m1 'no space' "$T/err2" || head -1 "$T/err2")"
expect_full 2 "the run on the still-full disk"

# Space freed: everything is archived by the next run (and a second finds nothing lacking).
mount -o remount,size=64m "$DISK"
run 3
[ $RC = 0 ] || { cat "$T/err3" >&2; fail "the run after freeing space exited $RC"; }
run 4
[ $RC = 0 ] || { cat "$T/err4" >&2; fail "the second run after freeing space exited $RC"; }
"$PY" - "$ROOT" "$DISK/archive/index.sqlite" "$PORT" <<'PY'
import json, sqlite3, sys
root, db, port = sys.argv[1:4]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
lost, dup, total = [], [], 0
for host in ("k-wp.newsarc.test", "k-gov.newsarc.test"):
    truth = json.load(open("%s/%s.truth.json" % (root, host)))
    for p in truth["expected"]:
        total += 1
        u = "http://%s:%s%s" % (host, port, p)
        # captures with text (a site template's re-extraction adds a row for the same capture)
        arts = con.execute("SELECT count(DISTINCT capture_id) FROM articles WHERE url=? AND text_len > 0", (u,)).fetchone()[0]
        oks = con.execute("SELECT count(*) FROM captures WHERE url=? AND status=200 AND revisit=0", (u,)).fetchone()[0]
        if arts == 0:
            lost.append(p)
        elif arts > 1 or oks > 1:
            dup.append(p)
print("after freeing space: %d articles expected, %d lost, %d duplicated" % (total, len(lost), len(dup)))
for x in (lost + dup)[:5]:
    print("  " + x)
sys.exit(1 if lost or dup else 0)
PY
"$NA_BIN" verify -a "$DISK/archive" >"$T/verify" 2>&1 || { head -20 "$T/verify" >&2; fail "verify found faults"; }
echo ok
