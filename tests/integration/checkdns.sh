#!/usr/bin/env bash
# DNS and HTTPS for the `smtpwb check` tests, next to the Postfix of postfix.sh:
#   checkdns.sh start|stop DIR POSTFIX_DIR
# - NSD, authoritative, on 127.0.0.1:$SMTPWB_DNS_PORT (UDP and TCP) with DNSSEC-signed zones
#   test.local., 127.in-addr.arpa. and broken.test. (tampered after signing: its TLSA is bogus),
#   signed afresh at every start; DIR/trust-anchors.txt holds their DS records for a validator
#   (libunbound: ub_ctx_add_ta_file).
# - nginx on 127.0.0.1:$SMTPWB_HTTPS_PORT serving the MTA-STS policy of test.local with a
#   certificate from the Postfix test CA (copied to DIR/ca.pem).
# Both are started as root and keep every file under DIR; `stop` kills them by their pid files
# and removes DIR. Needs root, and the Postfix folder (for its CA and server key) started first.
set -euo pipefail
action=${1:?start or stop}
D=${2:?folder}
P=${3:-}
DNS_PORT=${SMTPWB_DNS_PORT:-5354}
HTTPS_PORT=${SMTPWB_HTTPS_PORT:-8443}

# The folder is this script's alone: a fixed name in /tmp, so refuse anything odd there.
case "$D" in /tmp/smtpwb-*) ;; *) echo "checkdns.sh: the folder must be /tmp/smtpwb-*, not $D" >&2; exit 1 ;; esac

# Gone, or a zombie waiting for init (which can take a second to reap it): kill -0 is not enough.
gone() { [[ ! -e "/proc/$1/status" ]] || grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }

stop() {
  local f pid
  for f in "$D/nsd.pid" "$D/nginx.pid"; do
    [[ -f "$f" ]] || continue
    pid=$(tr -dc 0-9 < "$f")
    [[ -n "$pid" ]] || continue
    kill "$pid" 2>/dev/null || continue
    # Wait for it (its children go first), so that a start right after finds the ports free.
    for _ in $(seq 1 50); do gone "$pid" && break; sleep 0.1; done
  done
}

if [[ "$action" == stop ]]; then stop; rm -rf "$D"; exit 0; fi

if [[ $(id -u) -ne 0 ]]; then echo "checkdns.sh: needs root" >&2; exit 1; fi
[[ -f "$P/tls/server.pem" && -f "$P/tls/ca.key" ]] || { echo "checkdns.sh: no Postfix test CA in '$P'" >&2; exit 1; }
stop
rm -rf "$D"
mkdir -m 0755 "$D"   # fails if someone made it again in between: never reuse a folder we did not make
mkdir "$D"/{keys,www,www/.well-known,tmp}

# DANE-EE SPKI SHA-256 (TLSA 3 1 1) of the real Postfix certificate.
HASH=$(openssl x509 -in "$P/tls/server.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
WRONG=$(printf '%064d' 0 | tr 0 a)   # 64 hex digits that match no key

soa() { printf '$TTL 300\n$ORIGIN %s\n@ SOA ns.test.local. hostmaster.test.local. 1 3600 900 604800 300\n@ NS ns.test.local.\n' "$1"; }
{ soa test.local.; cat <<Z
ns A 127.0.0.1
@ MX 10 mx.test.local.
@ TXT "v=spf1 mx -all"
mx A 127.0.0.1
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@test.local"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@test.local"
_mta-sts TXT "v=STSv1; id=20261206"
mta-sts A 127.0.0.1
_2526._tcp.mx TLSA 3 1 1 $HASH
wrongtlsa MX 10 mx2.test.local.
mx2 A 127.0.0.1
_2526._tcp.mx2 TLSA 3 1 1 $WRONG
noptr MX 10 mx3.test.local.
mx3 A 127.0.0.3
nullmx MX 0 .
badspf MX 10 mx.test.local.
badspf TXT "v=spf1 +all"
cname MX 10 alias.test.local.
alias CNAME mx.test.local.
Z
} > "$D/test.local.zone"
{ soa 127.in-addr.arpa.; echo '1.0.0 PTR mx.test.local.'; } > "$D/127.in-addr.arpa.zone"
{ soa broken.test.; cat <<Z
@ MX 10 mx.broken.test.
mx A 127.0.0.1
_2526._tcp.mx TLSA 3 1 1 $HASH
Z
} > "$D/broken.test.zone"

# One ECDSA key per zone, used as KSK and ZSK. Signatures valid from an hour ago (clock skew)
# for 30 days, like the certificates.
inception=$(date -u -d '-1 hour' +%Y%m%d%H%M%S)
expiration=$(date -u -d '+30 days' +%Y%m%d%H%M%S)
for z in test.local 127.in-addr.arpa broken.test; do
  key=$(cd "$D/keys" && ldns-keygen -a ECDSAP256SHA256 -k "$z")
  ldns-signzone -i "$inception" -e "$expiration" -f "$D/$z.zone.signed" "$D/$z.zone" "$D/keys/$key"
  cat "$D/keys/$key.ds" >> "$D/trust-anchors.txt"
done
# Make broken.test bogus: change one base64 character of the TLSA's signature. The TLSA itself
# still holds the real hash, so only a validating client notices.
awk '$4 == "RRSIG" && $5 == "TLSA" { s = $NF; c = substr(s, 10, 1); $NF = substr(s, 1, 9) (c == "A" ? "B" : "A") substr(s, 11) } 1' \
  "$D/broken.test.zone.signed" > "$D/tmp/broken" && mv "$D/tmp/broken" "$D/broken.test.zone.signed"
grep -q 'RRSIG.TLSA' "$D/broken.test.zone.signed" || { echo "checkdns.sh: broken.test has no signed TLSA" >&2; exit 1; }

# NSD as root (username ""), no control socket, no database, every path under DIR.
cat > "$D/nsd.conf" <<CF
server:
  ip-address: 127.0.0.1@$DNS_PORT
  do-ip6: no
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$D"
  database: ""
  pidfile: "$D/nsd.pid"
  logfile: "$D/nsd.log"
  xfrdfile: "$D/xfrd.state"
  zonelistfile: "$D/zone.list"
  xfrdir: "$D/tmp"
  cookie-secret-file: "$D/cookie-secrets.txt"
remote-control:
  control-enable: no
CF
for z in test.local 127.in-addr.arpa broken.test; do
  printf 'zone:\n  name: "%s."\n  zonefile: "%s/%s.zone.signed"\n' "$z" "$D" "$z" >> "$D/nsd.conf"
done
nsd-checkconf "$D/nsd.conf"
nsd -c "$D/nsd.conf" || { cat "$D/nsd.log" >&2 2>/dev/null; exit 1; }

# The MTA-STS policy host: a certificate for mta-sts.test.local from the Postfix test CA.
cp "$P/tls/ca.pem" "$D/ca.pem"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=mta-sts.test.local \
  -keyout "$D/mta-sts.key" -out "$D/tmp/mta-sts.csr" 2>/dev/null
printf 'subjectAltName=DNS:mta-sts.test.local\n' > "$D/tmp/ext.cnf"
openssl x509 -req -in "$D/tmp/mta-sts.csr" -CA "$P/tls/ca.pem" -CAkey "$P/tls/ca.key" -CAcreateserial \
  -CAserial "$D/tmp/ca.srl" -days 30 -extfile "$D/tmp/ext.cnf" -out "$D/mta-sts.pem" 2>/dev/null
printf 'version: STSv1\nmode: enforce\nmx: mx.test.local\nmx: *.test.local\nmax_age: 86400\n' \
  > "$D/www/.well-known/mta-sts.txt"
# Workers as root too, so no file under DIR need be readable by another user. The temp paths
# are set because the compiled-in ones are under /var/lib/nginx.
cat > "$D/nginx.conf" <<CF
daemon on;
user root;
worker_processes 1;
pid $D/nginx.pid;
error_log $D/error.log;
events { worker_connections 64; }
http {
  access_log $D/access.log;
  client_body_temp_path $D/tmp/body;
  proxy_temp_path $D/tmp/proxy;
  fastcgi_temp_path $D/tmp/fastcgi;
  uwsgi_temp_path $D/tmp/uwsgi;
  scgi_temp_path $D/tmp/scgi;
  default_type text/plain;
  server {
    listen 127.0.0.1:$HTTPS_PORT ssl;
    server_name mta-sts.test.local;
    ssl_certificate $D/mta-sts.pem;
    ssl_certificate_key $D/mta-sts.key;
    root $D/www;
    location = /.well-known/mta-sts.txt { }
    location / { return 404; }
  }
}
CF
# -e: nginx opens its error log before reading the config; keep it out of /var/log.
nginx -e "$D/error.log" -c "$D/nginx.conf" -p "$D/" || { cat "$D/error.log" >&2 2>/dev/null; exit 1; }

# Ready when NSD answers over UDP with the signed SOA and nginx accepts connections.
for _ in $(seq 1 100); do
  if drill -p "$DNS_PORT" @127.0.0.1 SOA test.local 2>/dev/null | grep -q 'rcode: NOERROR' &&
     (exec 3<>"/dev/tcp/127.0.0.1/$HTTPS_PORT") 2>/dev/null; then
    echo "checkdns.sh: NSD on 127.0.0.1:$DNS_PORT, nginx on 127.0.0.1:$HTTPS_PORT, folder $D"
    exit 0
  fi
  sleep 0.1
done
echo "checkdns.sh: NSD or nginx did not start; their logs:" >&2
cat "$D/nsd.log" "$D/error.log" >&2 2>/dev/null || true
exit 1
