#!/usr/bin/env bash
# A private Postfix on 127.0.0.1:$PORT for the integration tests, everything under one
# folder: start | stop. Needs root (Postfix drops to its own user). See
# ../shared/notes/real-mta-on-loopback.md for why each setting is there.
set -euo pipefail
action=${1:?start or stop}
D=${2:?folder}
PORT=${SMTPWB_POSTFIX_PORT:-2526}
# Extra listeners of the same instance for `smtpwb check`, each a variant of the main one.
SMUGGLE_PORT=${SMTPWB_POSTFIX_SMUGGLE_PORT:-2531}   # ends DATA at a bare-LF dot: smuggling-prone
PATCHED_PORT=${SMTPWB_POSTFIX_PATCHED_PORT:-2532}   # refuses bare LF: not smuggling-prone
RELAY_PORT=${SMTPWB_POSTFIX_RELAY_PORT:-2533}       # an open relay (default_transport discards)
TLS12_PORT=${SMTPWB_POSTFIX_TLS12_PORT:-2534}       # STARTTLS with TLS 1.2 only

# Gone, or a zombie waiting for init (which can take a second to reap it): kill -0 is not enough.
gone() { [[ ! -e "/proc/$1/status" ]] || grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }

stop() {
  if [[ -f "$D/etc/main.cf" ]]; then
    pid=$(cat "$D/spool/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
    postfix -c "$D/etc" stop >/dev/null 2>&1 || true
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    # `postfix stop` does not wait for the master (and its listeners) to go: wait here.
    if [[ -n "$pid" ]]; then for _ in $(seq 1 50); do gone "$pid" && break; sleep 0.1; done; fi
  fi
}

# The folder is this script's alone: a fixed name in /tmp, so refuse anything odd there.
case "$D" in /tmp/smtpwb-*) ;; *) echo "postfix.sh: the folder must be /tmp/smtpwb-*, not $D" >&2; exit 1 ;; esac

if [[ "$action" == stop ]]; then stop; rm -rf "$D"; exit 0; fi

if [[ $(id -u) -ne 0 ]]; then echo "postfix.sh: needs root" >&2; exit 1; fi
stop
rm -rf "$D"
mkdir -m 0755 "$D"   # fails if someone made it again in between: never reuse a folder we did not make
mkdir "$D"/{etc,spool,data,mail,sasl,tls}
cp /etc/postfix/master.cf "$D/etc/"
[[ -f /etc/postfix/dynamicmaps.cf ]] && cp /etc/postfix/dynamicmaps.cf "$D/etc/"
[[ -d /etc/postfix/postfix-files.d ]] && cp -r /etc/postfix/postfix-files.d "$D/etc/"

# A test CA and a server certificate it signed, so clients can verify with --ca. 30 days:
# `smtpwb check` warns when a certificate has under 14 days left.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=SMTP Workbench Test CA" \
  -keyout "$D/tls/ca.key" -out "$D/tls/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=mx.test.local" \
  -keyout "$D/tls/server.key" -out "$D/tls/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:mx.test.local,DNS:localhost,IP:127.0.0.1\n' > "$D/tls/ext.cnf"
openssl x509 -req -in "$D/tls/server.csr" -CA "$D/tls/ca.pem" -CAkey "$D/tls/ca.key" -CAcreateserial \
  -days 30 -extfile "$D/tls/ext.cnf" -out "$D/tls/server.pem" 2>/dev/null
chmod 644 "$D/tls/"*.pem; chmod 600 "$D/tls/"*.key

printf 'alice@test.local alice/\nbob@test.local bob/\n' > "$D/etc/vmailbox"
# Mail that is accepted and then fails on delivery, so Postfix writes a real DSN back to
# the sender: bounce.test goes to a pipe that exits EX_NOUSER; lab.test goes to the
# practice server a test starts on 127.0.0.1:$LAB_PORT, which refuses unknown users.
LAB_PORT=${SMTPWB_LAB_PORT:-2527}
printf 'bounce.test failer:\nlab.test smtp:[127.0.0.1]:%s\n' "$LAB_PORT" > "$D/etc/transport"
chown -R postfix "$D/data"
chown nobody:nogroup "$D/mail"

cat > "$D/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $D/spool
data_directory = $D/data
maillog_file = $D/maillog
maillog_file_prefixes = $D
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = mx.test.local
mydestination =
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = test.local
virtual_mailbox_maps = texthash:$D/etc/vmailbox
virtual_mailbox_base = $D/mail
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
default_transport = discard:no mail leaves the test
relay_domains = bounce.test, lab.test
transport_maps = texthash:$D/etc/transport
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
smtpd_tls_cert_file = $D/tls/server.pem
smtpd_tls_key_file = $D/tls/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_banner = \$myhostname ESMTP test
CF

postconf -c "$D/etc" -M# smtp/inet
postconf -c "$D/etc" -Me "127.0.0.1:$PORT/inet = 127.0.0.1:$PORT inet n - n - - smtpd"
# The variants override main.cf per service (-P writes the -o options into master.cf; it
# refuses whitespace in a value, hence no space after the comma).
# Bare-newline exclusions default to $mynetworks (127.0.0.0/8): empty them, or loopback
# clients are exempt whatever smtpd_forbid_bare_newline says. smtpd refuses to run unless a
# relay or recipient list names reject_unauth_destination (or the like) before any bare
# `permit`: the open relay permits every client with a static:OK lookup instead, so the
# reject after it is never reached.
for p in "$SMUGGLE_PORT" "$PATCHED_PORT" "$RELAY_PORT" "$TLS12_PORT"; do
  postconf -c "$D/etc" -Me "127.0.0.1:$p/inet = 127.0.0.1:$p inet n - n - - smtpd"
done
postconf -c "$D/etc" -P "127.0.0.1:$SMUGGLE_PORT/inet/smtpd_forbid_bare_newline=no" \
  "127.0.0.1:$SMUGGLE_PORT/inet/smtpd_forbid_bare_newline_exclusions=" \
  "127.0.0.1:$PATCHED_PORT/inet/smtpd_forbid_bare_newline=yes" \
  "127.0.0.1:$PATCHED_PORT/inet/smtpd_forbid_bare_newline_exclusions=" \
  "127.0.0.1:$RELAY_PORT/inet/smtpd_relay_restrictions=check_client_access,static:OK,reject_unauth_destination" \
  "127.0.0.1:$RELAY_PORT/inet/smtpd_recipient_restrictions=permit" \
  "127.0.0.1:$TLS12_PORT/inet/smtpd_tls_protocols=>=TLSv1.2,<=TLSv1.2"
postconf -c "$D/etc" -Me 'failer/unix = failer unix - n n - - pipe user=nobody argv=/bin/sh -c {exit 67}'
postconf -c "$D/etc" -F '*/*/chroot = n'

# Debian's Postfix reads the Cyrus config from $D/etc/sasl/smtpd.conf.
mkdir -p "$D/etc/sasl"
cat > "$D/etc/sasl/smtpd.conf" <<CF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $D/sasl/sasldb2
mech_list: PLAIN LOGIN
CF
echo secret | saslpasswd2 -p -c -f "$D/sasl/sasldb2" -u test.local alice
chown postfix "$D/sasl/sasldb2"

postfix -c "$D/etc" check
postfix -c "$D/etc" start >/dev/null 2>&1 || { cat "$D/maillog" >&2 2>/dev/null; exit 1; }
# The master opens all listeners at once, so the main port answering means all do.
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
    echo "postfix.sh: Postfix listens on 127.0.0.1:$PORT (variants $SMUGGLE_PORT $PATCHED_PORT $RELAY_PORT $TLS12_PORT), folder $D"
    exit 0
  fi
  sleep 0.1
done
echo "postfix.sh: Postfix did not start; its log:" >&2
cat "$D/maillog" >&2 2>/dev/null || true
exit 1
