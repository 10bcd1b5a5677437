#!/usr/bin/env bash
# @module A throwaway S3 store for tests, CI, benches and trying docket on S3: a
# single-node Ceph (1 ceph-mon, 1 ceph-osd on memstore, so objects live in the osd's
# RAM and vanish on stop, and radosgw), all under DIR and on 127.0.0.1 only.
#
#   scripts/s3-store.sh start DIR   starts it (or finds it running) and prints
#                                   DOCKET_S3_ENDPOINT= AWS_REGION= AWS_ACCESS_KEY_ID=
#                                   AWS_SECRET_ACCESS_KEY= DOCKET_S3_FORCE_PATH_STYLE=
#                                   lines, also kept in DIR/s3.env
#   scripts/s3-store.sh stop DIR [--purge]
#   scripts/s3-store.sh rgw-stop DIR / rgw-start DIR
#                                   stop or start only the S3 gateway: S3 is down
#                                   while the objects stay in the osd (fault tests)
#   scripts/s3-store.sh install     installs the Debian 12 packages when missing (~90 s)
#
# `start` is idempotent and serialised by a lock on DIR (parallel test processes
# share one store): a running store answers in ~0.3 s; a dead or half-started one is
# stopped, wiped and made again. A cold start takes 4–6 s on 2 busy cores. Two lines
# make it that fast: `paxos propose interval = 0.05` (each pool creation otherwise
# waits for a 1 s proposal: 23 s cold start) and beast `tcp_nodelay=1` (small
# requests otherwise take ~45 ms: Nagle with delayed ACKs). Logging and the osd's
# op tracker are off: they cost ~15 % of RGW's and the osd's CPU per 200 KB upload
# (the debug levels' in-memory gathering included); the access log comes back with
# `ceph --admin-daemon DIR/run/client.rgw.a.asok config set debug_rgw 1/1`. Two
# threads for beast's requests (RGW's default is 512; this script had 64) and one
# bucket index shard (the default zonegroup gives a bucket 11, and a listing asks
# every one): each S3 request then wakes fewer threads (radosgw's context switches
# per PUT 49 -> 30, per GET 30 -> 15, per prefix listing 57 -> 16), and a context
# switch is dear on a VM (most of radosgw's kernel time in a profile). Ceph's CPU per
# request, same run, load 13-23 (bench/s3-ops.ts): PUT of 200 KB 4.87 -> 4.07 ms,
# GET 2.10 -> 1.65, HEAD 1.38 -> 1.15, LIST 2.77 -> 1.32, DeleteObjects -24 %.
# Tried without a measurable gain and left out: tcmalloc preloaded, the remaining
# debug levels at 0/0 with perf counters and messenger CRCs off, one osd op shard
# with one messenger thread. RADOS auth is off
# (`ms mon client mode = crc` is then needed, or radosgw never reaches the mon);
# S3 SigV4 is enforced as usual. Env: S3_PORT (17480), MON_PORT (16789),
# OSD_PORT_MIN/MAX (16800/16899), S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
# S3_MEM_BYTES (memstore capacity, 4 GiB), S3_START_TIMEOUT (120 s), S3_EXTRA_CONF
# (lines added at the end of ceph.conf, in [client.rgw.a] unless they open a section
# such as [global]; a later line wins: bench/s3-ops.ts tries settings with it).
set -euo pipefail

PKGS=(ceph-mon ceph-osd radosgw ceph-common curl uuid-runtime)
cmd=${1:-}
if [ "$cmd" = install ]; then
  missing=0
  for b in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool curl uuidgen; do command -v "$b" >/dev/null || missing=1; done
  [ $missing = 0 ] && exit 0
  echo "s3-store: installing ${PKGS[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
  exit 0
fi
[ $# -ge 2 ] && [[ "$cmd" =~ ^(start|stop|rgw-stop|rgw-start)$ ]] || { echo "usage: $0 start DIR | stop DIR [--purge] | rgw-stop DIR | rgw-start DIR | install" >&2; exit 2; }
mkdir -p "$2"
D=$(cd "$2" && pwd)
CONF="$D/ceph.conf"

# A pid file counts only if its process is alive and was started with our conf (a recycled pid is never ours).
ours() { local a=(); mapfile -d '' -t a 2>/dev/null <"/proc/$1/cmdline" || return 1; [[ " ${a[*]} " == *" -c $CONF "* ]]; }
alive() { [ -s "$D/run/$1.pid" ] && ours "$(cat "$D/run/$1.pid")"; }

stop_group() { # TERM together, KILL after 1 s (radosgw's graceful exit takes ~3 s; the store is throwaway)
  local n pid pids=() left
  for n in "$@"; do alive "$n" && { pid=$(cat "$D/run/$n.pid"); kill -TERM "$pid" 2>/dev/null; pids+=("$pid"); }; done
  for _ in $(seq 10); do left=0; for pid in "${pids[@]}"; do ours "$pid" && left=1; done; [ $left = 0 ] && break; sleep 0.1; done
  for pid in "${pids[@]}"; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done
  for _ in $(seq 20); do left=0; for pid in "${pids[@]}"; do ours "$pid" && left=1; done; [ $left = 0 ] && break; sleep 0.05; done
  for n in "$@"; do rm -f "$D/run/$n.pid"; done
}
stop_all() { [ -d "$D/run" ] || return 0; stop_group client.rgw.a osd.0; stop_group mon.a; }

if [ "$cmd" = rgw-stop ]; then
  stop_group client.rgw.a
  exit 0
fi
if [ "$cmd" = rgw-start ]; then
  alive mon.a && alive osd.0 || { echo "s3-store: no store running in $D" >&2; exit 1; }
  alive client.rgw.a || radosgw -c "$CONF" -n client.rgw.a >>"$D/log/start.err" 2>&1
  EP=$(sed -n 's/^DOCKET_S3_ENDPOINT=//p' "$D/s3.env")
  for _ in $(seq 300); do curl -s -o /dev/null --max-time 2 "$EP/" && exit 0; sleep 0.1; done
  echo "s3-store: radosgw not answering on $EP" >&2
  exit 1
fi
if [ "$cmd" = stop ]; then
  stop_all
  [ "${3:-}" = --purge ] && rm -rf "$D"
  exit 0
fi

exec 8>"$D/.lock"
flock 8
S3_PORT=${S3_PORT:-17480}
MON_PORT=${MON_PORT:-16789}
AK=${S3_ACCESS_KEY_ID:-TESTACCESSKEY0000001}
SK=${S3_SECRET_ACCESS_KEY:-testsecretkey0000000000000000000000000001}
EP="http://127.0.0.1:$S3_PORT"
deadline=$((SECONDS + ${S3_START_TIMEOUT:-120}))
for b in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool curl uuidgen; do
  command -v "$b" >/dev/null || { echo "s3-store: '$b' not found; run: $0 install" >&2; exit 1; }
done

print_env() {
  printf 'DOCKET_S3_ENDPOINT=%s\nAWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nDOCKET_S3_FORCE_PATH_STYLE=1\n' "$EP" "$AK" "$SK" >"$D/s3.env"
  cat "$D/s3.env"
}
s3() { # METHOD PATH [curl args]: a SigV4-signed request that fails unless 2xx
  local m=$1 p=$2; shift 2
  curl -sf -o /dev/null --max-time 10 --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AK:$SK" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X "$m" "$@" "$EP$p" 2>/dev/null
}
fail() {
  echo "s3-store: $*" >&2
  for l in "$D"/log/start.err "$D"/log/*.log; do [ -s "$l" ] && { echo "--- $l" >&2; tail -n 15 "$l" >&2; }; done
  exit 1
}

if alive mon.a && alive osd.0 && alive client.rgw.a && s3 GET /; then print_env; exit 0; fi
stop_all
for p in "$MON_PORT" "$S3_PORT"; do
  (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && { echo "s3-store: 127.0.0.1:$p is in use; set MON_PORT / S3_PORT" >&2; exit 1; }
done
rm -rf "$D/run" "$D/log" "$D/mon.a" "$D/osd.0" "$D/rgw.a" "$D/crash" "$D/monmap" "$D/s3.env" "$CONF"
mkdir -p "$D/run" "$D/log" "$D/mon.a" "$D/osd.0" "$D/rgw.a" "$D/crash"

FSID=$(uuidgen)
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind msgr1 = false
ms bind port min = ${OSD_PORT_MIN:-16800}
ms bind port max = ${OSD_PORT_MAX:-16899}
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
client mount timeout = 30
run dir = $D/run
admin socket = $D/run/\$name.asok
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
crash dir = $D/crash
keyring = $D/keyring
mon data = $D/mon.\$id
osd data = $D/osd.\$id
rgw data = $D/rgw.\$id
osd objectstore = memstore
memstore device bytes = ${S3_MEM_BYTES:-4294967296}
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon max pg per osd = 1000
mon data avail crit = 0
mon data avail warn = 1
paxos propose interval = 0.05
paxos min wait = 0.01
debug osd = 0/0
debug rgw = 0/0
debug ms = 0/0
debug auth = 0/0
debug objclass = 0/0
debug rados = 0/0
debug objecter = 0/0
debug optracker = 0/0
debug finisher = 0/0
debug throttle = 0/0
debug tp = 0/0
debug crush = 0/0
debug heartbeatmap = 0/0
debug perfcounter = 0/0
debug asok = 0/0
osd enable op tracker = false
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$S3_PORT tcp_nodelay=1
rgw thread pool size = 2
rgw override bucket index max shards = 1
rgw gc obj min wait = 60
rgw gc processor period = 60
${S3_EXTRA_CONF:-}
EOF

exec 3>>"$D/log/start.err"
# Daemons do not inherit the lock (fd 8): it must end with this script, or the next start waits forever.
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/monmap" >&3 2>&3 || fail "monmaptool failed"
ceph-mon -c "$CONF" --mkfs -i a --monmap "$D/monmap" >&3 2>&3 || fail "ceph-mon --mkfs failed"
ceph-mon -c "$CONF" -i a >&3 2>&3 8>&-  || fail "ceph-mon failed to start"
OSD_UUID=$(uuidgen)
OSD_ID=$(timeout 60 ceph -c "$CONF" osd new "$OSD_UUID" 2>&3) || fail "ceph osd new failed"
[ "$OSD_ID" = 0 ] || fail "unexpected osd id '$OSD_ID'"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >&3 2>&3 || fail "ceph-osd --mkfs failed"
ceph-osd -c "$CONF" -i 0 >&3 2>&3 8>&-  || fail "ceph-osd failed to start"
radosgw -c "$CONF" -n client.rgw.a >&3 2>&3 8>&-  || fail "radosgw failed to start"
for _ in $(seq 50); do [ -s "$D/run/client.rgw.a.pid" ] && break; sleep 0.1; done
until curl -s -o /dev/null --max-time 5 "$EP/"; do
  alive client.rgw.a || fail "radosgw exited"
  [ $SECONDS -lt $deadline ] || fail "radosgw not answering on $EP"
  sleep 0.3
done
timeout 60 radosgw-admin -c "$CONF" -n client.admin user create --uid=docket --display-name=docket \
  --access-key="$AK" --secret="$SK" >&3 2>&3 || fail "radosgw-admin user create failed"
# The first bucket and object create RGW's index and data pools (a few seconds): paid here, leaving nothing behind.
wb="s3-store-warmup-$$"
until s3 PUT "/$wb"; do [ $SECONDS -lt $deadline ] || fail "CreateBucket failed on $EP"; sleep 0.3; done
until s3 PUT "/$wb/ping" --data-binary ok; do [ $SECONDS -lt $deadline ] || fail "PutObject failed on $EP"; sleep 0.3; done
s3 DELETE "/$wb/ping" && s3 DELETE "/$wb" || fail "deleting the warm-up bucket failed"
print_env
