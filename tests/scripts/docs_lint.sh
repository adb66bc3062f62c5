#!/usr/bin/env bash
# docs_lint.sh — the manual pages against the program: docs/newsarc.1 and
# docs/sites.conf.5 format without a groff warning (-ww; non-ASCII text is
# written as \[uXXXX] escapes) and still show their Chinese through man(1);
# every command of cli/main.c's table has a SYNOPSIS line and a COMMANDS
# entry in newsarc.1 (and the page names no other command), a `--help` that
# exits 0 with its usage on stdout, a `newsarc help NAME`, exit 2 on an
# unknown option; every long option a --help lists is in newsarc.1; every
# key `check-config` prints has its entry in sites.conf(5).
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "docs_lint: no python3: skipped"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/na-docs-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
MAN1=$NA_SRCDIR/docs/newsarc.1
MAN5=$NA_SRCDIR/docs/sites.conf.5
[ -f "$MAN1" ] && [ -f "$MAN5" ] || fail "docs/newsarc.1 or docs/sites.conf.5 is missing"

# ---- groff -ww: no warnings; ASCII source ----
for m in "$MAN1" "$MAN5"; do
  LC_ALL=C grep -n '[^[:print:][:space:]]' "$m" | head -n 5 >"$T/nonascii"
  [ -s "$T/nonascii" ] && fail "$(basename "$m"): raw non-ASCII bytes (write them as \\[uXXXX]):
$(cat "$T/nonascii")"
done
if command -v groff >/dev/null; then
  for m in "$MAN1" "$MAN5"; do
    groff -man -Tutf8 -ww "$m" >/dev/null 2>"$T/groff.err" || fail "groff failed on $(basename "$m")"
    [ -s "$T/groff.err" ] && fail "groff -ww warns on $(basename "$m"):
$(head -n 20 "$T/groff.err")"
  done
  echo "groff -ww: newsarc.1 and sites.conf.5 clean"
else
  echo "notice: groff is not installed: the -ww check is skipped"
fi
if command -v man >/dev/null; then
  # The escapes come out as the characters they stand for.
  MANWIDTH=100 man -l "$MAN1" 2>/dev/null >"$T/man1.txt"
  for w in 下一页 相关文章 来源; do
    grep -q "$w" "$T/man1.txt" || fail "man -l newsarc.1 does not show '$w'"
  done
fi

# ---- commands: cli/main.c's table against the page and the binary ----
sed -n '/commands\[\] = {/,/^};/p' "$NA_SRCDIR/cli/main.c" | grep -o '{ "[a-z-]*", cmd_' | cut -d'"' -f2 >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 10 ] || fail "could not read the command table of cli/main.c: $(cat "$T/cmds")"
"$PY" - "$MAN1" "$T/cmds" <<'EOF' || fail "newsarc.1 and cli/main.c disagree (above)"
import re, sys
src = open(sys.argv[1], encoding="ascii").read().replace("\\-", "-")
cmds = open(sys.argv[2]).read().split()
syn = set(re.findall(r'^\.SY "newsarc ([a-z-]+)"', src, re.M))
entries = set(re.findall(r'^\.B newsarc ([a-z-]+)', src[src.index("\n.SH COMMANDS"):], re.M))
bad = []
for c in cmds:
    if c not in syn:
        bad.append("no SYNOPSIS line .SY \"newsarc %s\"" % c)
    if c not in entries:
        bad.append("no entry '.B newsarc %s' under COMMANDS" % c)
for c in sorted((syn | entries) - set(cmds) - {"help"}):
    bad.append("the page names a command cli/main.c lacks: %s" % c)
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
"$NA_BIN" help >"$T/help" 2>&1 || fail "newsarc help exit $?"
: >"$T/longopts"
while read -r c; do
  "$NA_BIN" "$c" --help >"$T/h.out" 2>"$T/h.err"
  rc=$?
  [ $rc = 0 ] || fail "newsarc $c --help exits $rc"
  [ -s "$T/h.err" ] && fail "newsarc $c --help writes to stderr: $(head -n 3 "$T/h.err")"
  grep -q "^usage: newsarc $c" "$T/h.out" || fail "newsarc $c --help: no 'usage: newsarc $c' line"
  "$NA_BIN" help "$c" >"$T/h2.out" 2>&1 || fail "newsarc help $c exits $?"
  cmp -s "$T/h.out" "$T/h2.out" || fail "newsarc help $c differs from newsarc $c --help"
  grep -q "^ *$c " "$T/help" || fail "newsarc help does not list $c"
  "$NA_BIN" "$c" --no-such-option >/dev/null 2>"$T/bad.err"
  rc=$?
  [ $rc = 2 ] || fail "newsarc $c --no-such-option exits $rc, not 2"
  grep -q "usage: newsarc $c" "$T/bad.err" || fail "newsarc $c --no-such-option: no usage on stderr"
  # The option lines of the help: "  -x, --long ARG  text" or "      --long ...".
  grep -E '^ {1,8}(-[a-zA-Z], )?--[a-z][a-z-]*' "$T/h.out" | grep -oE -- '--[a-z][a-z-]*' | head -n 1000 |
    sed "s/^/$c /" >>"$T/longopts"
done <"$T/cmds"
"$PY" - "$MAN1" "$T/longopts" <<'EOF' || fail "options of --help missing from newsarc.1 (above)"
import re, sys
src = open(sys.argv[1], encoding="ascii").read().replace("\\-", "-")
missing = []
n = 0
for line in open(sys.argv[2]):
    cmd, opt = line.split()
    n += 1
    if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), src):
        missing.append("%s %s" % (cmd, opt))
for m in missing:
    print("  newsarc.1 does not mention newsarc " + m, file=sys.stderr)
print("commands: %d, each with --help, help NAME and a man entry; %d options of --help all in newsarc.1"
      % (len(set(l.split()[0] for l in open(sys.argv[2]))), n))
sys.exit(1 if missing else 0)
EOF

# ---- sites.conf(5): every key check-config prints ----
"$NA_BIN" check-config -c "$NA_SRCDIR/sites.conf" >"$T/cc" 2>&1 || fail "check-config on sites.conf: $(cat "$T/cc")"
"$PY" - "$MAN5" "$T/cc" <<'EOF' || fail "keys missing from sites.conf.5 (above)"
import re, sys
src = open(sys.argv[1], encoding="ascii").read().replace("\\-", "-")
documented = set(re.findall(r'^\.BI? "?([a-z_]+) = ', src, re.M))
keys = set()
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"^(?:; )?([a-z_]+)(?: = |: )", line)
    if m:
        keys.add(m.group(1))
missing = sorted(keys - documented)
for k in missing:
    print("  sites.conf.5 has no entry for '%s'" % k, file=sys.stderr)
print("sites.conf.5: all %d keys check-config prints are documented" % len(keys))
sys.exit(1 if missing or len(keys) < 20 else 0)
EOF

# ---- sites.conf: its commented examples are valid, and the tj-changfang one
# is README.md's worked section (which readme_examples.sh checks) ----
"$PY" - "$NA_SRCDIR/sites.conf" "$NA_SRCDIR/README.md" "$T/examples.conf" "$T" <<'EOF' || fail "sites.conf examples (above)"
import re, sys
conf = open(sys.argv[1], encoding="utf-8").read().splitlines()
# Uncommented: '#[site NAME]' and '#key = value' lines lose their '#'.
plain = [l[1:] if re.match(r"^#(\[site |[a-z_]+ = )", l) else l for l in conf]
plain = [re.sub(r"^archive = .*", "archive = " + sys.argv[4] + "/archive", l) for l in plain]
open(sys.argv[3], "w", encoding="utf-8").write("\n".join(plain) + "\n")
readme = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r"^<!-- test:site-section -->\n```ini\n(.*?)^```", readme, re.S | re.M)
assert m, "README.md has no test:site-section block"
want = m.group(1).splitlines()
assert want[0] in plain, "sites.conf has no commented %r section" % want[0]
start = plain.index(want[0])
got = plain[start:start + len(want)]
bad = [(i + start + 1, w, g) for i, (w, g) in enumerate(zip(want, got)) if w != g]
for line, w, g in bad[:5]:
    print("  sites.conf:%d: README has %r, sites.conf %r" % (line, w, g), file=sys.stderr)
after = plain[start + len(want)] if start + len(want) < len(plain) else ""
if after.strip() and not after.startswith("#"):
    print("  sites.conf:%d: the example goes on past README's section: %r" % (start + len(want) + 1, after),
          file=sys.stderr)
    bad.append(after)
sys.exit(1 if bad else 0)
EOF
"$NA_BIN" check-config -c "$T/examples.conf" >"$T/ex.out" 2>&1 ||
  fail "sites.conf with its examples uncommented: $(cat "$T/ex.out")"
echo "sites.conf: $(grep -c '^\[site ' "$T/ex.out") sections valid with the examples uncommented; the tj-changfang one is README's"
echo "docs_lint: ok"
