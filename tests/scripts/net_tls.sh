#!/usr/bin/env bash
# net_tls.sh — TLS per site, explicit and recorded (issue 14 item 1). Makes a
# private CA (root + intermediate) with openssl and starts one `openssl
# s_server -WWW` per case on 127.0.0.1 (it serves the files of a small site
# from its folder, answering HTTP/1.0 and closing), then crawls each:
#   incomplete  the leaf alone, without its intermediate: fails naming an
#               incomplete chain and ca_file; works with the site's ca_file
#               holding the intermediate
#   private     leaf + intermediate of a CA not trusted: fails naming an
#               unknown issuer; works with the site's ca_file = the root
#   expired     an expired leaf: fails naming it expired and tls_verify = no;
#               works with the site's tls_verify = no, which is warned once and
#               recorded as Newsarc-TLS-Verify: no on its response records only
#   tls1        TLS 1.0 only (-tls1, security level 0): fails naming the old
#               protocol and tls_legacy; works with the site's tls_legacy = yes
#   mismatch    a certificate for another name: fails naming a host mismatch
# Skips (77) without openssl.
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
command -v openssl >/dev/null || { echo "net_tls: openssl missing: skipped"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-tls-XXXXXX")
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T"

# ---- certificates ----
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1.key" 2>>ssl.err; }
key root
openssl req -x509 -new -key root.key -days 3 -subj "/CN=newsarc test root" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out root.pem 2>>ssl.err
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
key inter
openssl req -new -key inter.key -subj "/CN=newsarc test intermediate" -out inter.csr 2>>ssl.err
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3 -extfile ca.ext \
    -out inter.pem 2>>ssl.err
key leaf
openssl req -new -key leaf.key -subj "/CN=tls.newsarc.test" -out leaf.csr 2>>ssl.err
printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:tls.newsarc.test\n' >leaf.ext
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 3 -extfile leaf.ext \
    -out leaf.pem 2>>ssl.err
# an expired one: `openssl ca` takes explicit dates
mkdir -p ca/new && : >ca/index.txt && echo 1000 >ca/serial
cat >ca.cnf <<'EOF'
[ca]
default_ca = d
[d]
dir = ./ca
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:tls.newsarc.test
EOF
openssl ca -batch -notext -config ca.cnf -cert inter.pem -keyfile inter.key -in leaf.csr \
    -startdate 20200101000000Z -enddate 20200201000000Z -extensions leaf -out expired.pem >>ssl.err 2>&1 ||
    { cat ssl.err >&2; fail "openssl ca"; }
cat inter.pem root.pem >bundle.pem

# ---- the site the servers serve ----
mkdir -p www/news
printf 'User-agent: *\nAllow: /\n' >www/robots.txt
{
    printf '<html><head><meta charset="utf-8"><title>新闻</title></head><body><ul>\n'
    for i in 1 2; do printf '<li><a href="/news/%d.html">项目签约 %d</a></li>\n' "$i" "$i"; done
    printf '</ul></body></html>\n'
} >www/index.html
for i in 1 2; do cp "$NA_SRCDIR/tests/data/seed-article.html" "www/news/$i.html"; done

freeport() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# serve NAME s_server-options...: sets PORT_NAME
serve() {
    local name=$1
    shift
    for _ in 1 2 3 4 5; do
        local port
        port=$(freeport)
        (cd www && exec openssl s_server -accept "127.0.0.1:$port" -quiet -WWW "$@") >"$T/$name.out" 2>&1 &
        local pid=$!
        for _ in $(seq 50); do
            "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            PIDS="$PIDS $pid"
            eval "PORT_$name=$port"
            return 0
        fi
    done
    cat "$T/$name.out" >&2
    fail "s_server $name did not start"
}
serve incomplete -cert "$T/leaf.pem" -key "$T/leaf.key"
serve private -cert "$T/leaf.pem" -key "$T/leaf.key" -cert_chain "$T/inter.pem"
serve expired -cert "$T/expired.pem" -key "$T/leaf.key" -cert_chain "$T/inter.pem"
serve tls1 -cert "$T/leaf.pem" -key "$T/leaf.key" -cert_chain "$T/inter.pem" -tls1 -cipher 'DEFAULT@SECLEVEL=0'
serve mismatch -cert "$T/leaf.pem" -key "$T/leaf.key" -cert_chain "$T/inter.pem"

H=tls.newsarc.test
site() { # site NAME PORT HOST [extra lines]
    printf '\n[site %s]\nlisting = https://%s:%s/index.html\narticle = ^https://%s:%s/news/[0-9]+\\.html$\n%s\n' \
        "$1" "$3" "$2" "$(echo "$3" | sed 's/\./\\./g')" "$2" "${4:-}"
}
# conf FILE GLOBAL-LINES incomplete-extra private-extra expired-extra tls1-extra
conf() {
    {
        printf '[newsarc]\narchive = %s/archive\nuser_agent = newsarc-test/1 (+mailto:test@newsarc.test)\n' "$T"
        printf 'delay = 0\nretries = 0\n'
        for n in incomplete private expired tls1 mismatch; do
            eval "printf 'resolve = %s:%s:127.0.0.1\n' $H \$PORT_$n"
        done
        printf 'resolve = other.newsarc.test:%s:127.0.0.1\n' "$PORT_mismatch"
        printf '%s\n' "${2:-}"
        site incomplete "$PORT_incomplete" $H "${3:-}"
        site private "$PORT_private" $H "${4:-}"
        site expired "$PORT_expired" $H "${5:-}"
        site tls1 "$PORT_tls1" $H "${6:-}"
        site mismatch "$PORT_mismatch" other.newsarc.test "ca_file = $T/root.pem"
    } >"$1"
}
# crawl_site CONF SITE ARCHIVE: exit status in $rc, stderr in $T/SITE.err
crawl_site() {
    rc=0
    timeout 60 "$NA_BIN" crawl -c "$1" -a "$3" --site "$2" >"$T/$2.cout" 2>"$T/$2.err" || rc=$?
}
expect_fail() { # expect_fail SITE WORDS... : the crawl fails, its error names each word
    local s=$1
    shift
    [ "$rc" = 1 ] || fail "$s: exit $rc, expected 1: $(cat "$T/$s.err")"
    for w in "$@"; do
        grep -qF -- "$w" "$T/$s.err" || fail "$s: the error does not say '$w': $(head -c 1500 "$T/$s.err")"
    done
    echo "net_tls: $s refused: $(grep -o 'TLS: [^;]*' "$T/$s.err" | head -1 | cut -c1-110)…"
}
expect_ok() {
    [ "$rc" = 0 ] || fail "$1: exit $rc: $(cat "$T/$1.err")"
    grep -q "2 new articles" "$T/$1.cout" || fail "$1: expected 2 new articles: $(cat "$T/$1.cout")"
}

# 1. Verified against the root only: each case fails, naming cause and setting.
conf bad.conf "ca_file = $T/root.pem"
crawl_site bad.conf incomplete "$T/a1"
expect_fail incomplete "incomplete certificate chain" "ca_file"
crawl_site bad.conf expired "$T/a1"
expect_fail expired "expired" "tls_verify = no"
crawl_site bad.conf tls1 "$T/a1"
expect_fail tls1 "protocol too old" "tls_legacy = yes"
crawl_site bad.conf mismatch "$T/a1"
expect_fail mismatch "host mismatch" "tls_verify = no"
conf untrusted.conf ""
crawl_site untrusted.conf private "$T/a1"
expect_fail private "unknown issuer" "ca_file"
n=$("$NA_BIN" ls -a "$T/a1" 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "$n articles archived from servers that did not verify"

# 2. Each allowed by its own site's setting, the others untouched.
conf good.conf "" "ca_file = $T/bundle.pem" "ca_file = $T/root.pem" \
    "ca_file = $T/root.pem
tls_verify = no" "ca_file = $T/root.pem
tls_legacy = yes"
"$NA_BIN" check-config -c good.conf >check.out 2>&1 || fail "check-config: $(cat check.out)"
grep -q "^tls_verify = no" check.out && grep -q "^tls_legacy = yes" check.out || fail "check-config: $(cat check.out)"
for s in incomplete private tls1; do
    crawl_site good.conf "$s" "$T/a-$s"
    expect_ok "$s"
done
# the setting of one site does not leak to another on the same host
crawl_site good.conf private "$T/a-private2"
expect_ok private
crawl_site good.conf expired "$T/a-expired"
expect_ok expired
nwarn=$(grep -c "tls_verify = no" "$T/expired.err" || true)
[ "$nwarn" = 1 ] || fail "expired: tls_verify = no warned $nwarn times: $(cat "$T/expired.err")"
grep -q "tls_verify = no" "$T/private.err" && fail "the warning shows for a site that verifies"

# 3. Recorded: every response record of the unverified site, none of the others.
"$PY" - "$T/a-expired" "$T/a-private" <<'EOF' || fail "Newsarc-TLS-Verify"
import glob, gzip, sys
def responses(arch):
    out = []
    for path in glob.glob(arch + "/warc/*.warc.gz"):
        for rec in gzip.open(path).read().split(b"WARC/1.1\r\n")[1:]:
            head = rec.partition(b"\r\n\r\n")[0]
            fields = dict(l.split(b": ", 1) for l in head.split(b"\r\n") if b": " in l)
            if fields.get(b"WARC-Type") in (b"response", b"revisit"):
                out.append(fields)
    return out
bad, good = responses(sys.argv[1]), responses(sys.argv[2])
assert len(bad) >= 4 and all(f.get(b"Newsarc-TLS-Verify") == b"no" for f in bad), bad
assert len(good) >= 4 and not any(b"Newsarc-TLS-Verify" in f for f in good), good
print("net_tls: %d response records marked Newsarc-TLS-Verify: no, %d of a verified site unmarked" % (len(bad), len(good)))
EOF
"$NA_BIN" verify -a "$T/a-expired" >verify.out 2>&1 || fail "verify: $(cat verify.out)"
echo "net_tls: ok"
