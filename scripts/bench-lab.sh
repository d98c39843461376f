#!/bin/sh
# The practice server against Postfix's smtp-sink, side by side in one run: Postfix's load
# generator smtp-source sends MESSAGES messages (one per connection) to each at 20 and at
# 50 sessions; prints messages per second, the ratio, the CPU each spends per message (the
# steadier measure on a busy machine), and the lab's peak memory.
# Usage: scripts/bench-lab.sh [BUILD_DIR]   (MESSAGES=5000 by default; needs postfix's tools)
set -eu
BUILD=${1:-build}
MESSAGES=${MESSAGES:-5000}
SMTPWB="$BUILD/app/cli/smtpwb"
for tool in smtp-source smtp-sink; do
    command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin"
    command -v "$tool" >/dev/null || { echo "bench-lab: $tool not found (Debian's postfix package)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill $lab $sink 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
# all-good, with room for the load generator's sessions from one address
printf '{"name": "bench", "domains": ["lab.test"], "openRelay": true, "maxClients": 100, "maxClientsPerAddress": 100}\n' >"$work/bench.json"
"$SMTPWB" lab --scenario "$work/bench.json" --port 0 >"$work/lab.log" 2>&1 &
lab=$!
i=0
until port=$(sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\).*/\1/p' "$work/lab.log") && [ -n "$port" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/lab.log" >&2; exit 1; }; sleep 0.1
done
sinkport=$((port + 1))
user=$(id -u); [ "$user" = 0 ] && sinkuser="-u nobody" || sinkuser=""
# shellcheck disable=SC2086
smtp-sink $sinkuser 127.0.0.1:$sinkport 256 &
sink=$!
sleep 0.5

rate() { # host:port sessions -> messages per second
    start=$(date +%s.%N)
    smtp-source -s "$2" -m "$MESSAGES" -f teacher@school.example -t alice@lab.test "$1" >/dev/null
    end=$(date +%s.%N)
    echo "$MESSAGES $start $end" | awk '{ printf "%.0f", $1 / ($3 - $2) }'
}
ticks() { # pid -> CPU time it used so far (user + system), in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
# Messages per second depend on what else the machine runs; the CPU time each server spends
# per message does much less, so it is printed too: on a busy machine, judge by it.
cpu_per_message() { # pid ticks-before -> microseconds of CPU per message
    echo "$(ticks "$1") $2 $(getconf CLK_TCK) $MESSAGES" | awk '{ printf "%.0f", ($1 - $2) * 1000000 / $3 / $4 }'
}
echo "messages per connection: 1; messages per run: $MESSAGES"
for sessions in 20 50; do
    before=$(ticks $sink)
    sinkrate=$(rate 127.0.0.1:$sinkport $sessions)
    sinkcpu=$(cpu_per_message $sink "$before")
    before=$(ticks $lab)
    labrate=$(rate 127.0.0.1:$port $sessions)
    labcpu=$(cpu_per_message $lab "$before")
    echo "$sessions sessions: smtp-sink $sinkrate msg/s ($sinkcpu us CPU/msg), smtpwb lab $labrate msg/s ($labcpu us CPU/msg), ratio $(echo "$labrate $sinkrate" | awk '{ printf "%.2f", $1 / $2 }'), CPU ratio $(echo "$sinkcpu $labcpu" | awk '{ printf "%.2f", $1 / $2 }')"
done
echo "smtpwb lab peak resident memory: $(sed -n 's/VmHWM:[[:space:]]*//p' /proc/$lab/status)"
