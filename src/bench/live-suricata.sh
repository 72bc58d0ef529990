#!/usr/bin/env bash
# Live bench: a real Suricata 7 capturing with af-packet in a private network namespace, fed by
# tcpreplay over a veth pair, writing EVE to a reader's Unix socket (non-blocking: it drops whole
# records when the socket is full) and to a regular file (the reference). Readers alternate in each
# round: eveflow (the package's JVM options, systemd/eveflow.default), FEVER 1.3.7, and a reader that
# only counts lines.
#
#   bash src/bench/live-suricata.sh [--rates 42000,85000] [--rounds 3] [--clients 20000] [--wmem BYTES]
#                                   [--readers eveflow,fever,count] [--ab JAR] [--warm N]
#
# Root, Debian 12. Installs tcpreplay, suricata and fever (bookworm-backports) if missing, builds the
# jar and test classes, and removes its namespace, veth pair and processes when done. Each run starts
# one reader and 1 + N Suricata runs over the same capture: the first N (--warm, default 1) warm the
# reader up (JIT), the last is the one reported. A Suricata run takes about capture packets / rate + 8 s:
# with the default capture (20,000 clients: 120k flows, ~660k packets) at 42k pps about 25 s, so a
# reader with --warm 3 about 2 minutes, and 3 rounds x 3 readers about 20 minutes per rate. Results: a line per run, then medians per rate and reader; also in
# target/live-bench/results.tsv, and drawn in target/live-bench/results.png (BenchChart).
#
# Columns (of the measured Suricata run): packets sent (tcpreplay), kernel drops (Suricata's
# af-packet counter), reference records (alert + flow in the file output), records Suricata dropped
# at the socket (its exit log), records the reader received (reference less drops; checked against
# the reader's own count over all runs, a mismatch is reported), alerts forwarded that match the
# references byte for byte and the references' alerts (all runs), the reader's CPU and context
# switches per received record, Suricata's CPU per reference record, and the lost share.
# --wmem sets net.core.wmem_default for the run (Suricata's socket gets its buffer from it) and
# restores it afterwards. --restart runs each reader twice per round, without and with one restart
# --restart-after seconds (default 8) into its measured Suricata run (column "restarts"); the readers
# eveflow-systemd (the .deb's units under a systemd 252 PID 1 in a test root, src/test/sh/systemd-root.sh:
# the restart is "systemctl restart" and hands the connection over) and eveflow-nohandover (the same with
# FDSTORE=0: the connection is closed at the restart, the socket unit keeps listening) are for it, and
# eveflow-upgrade (the same units as eveflow-systemd; the restart is a package upgrade, dpkg -i of the .deb);
# fever and eveflow are stopped with SIGTERM and started again. --ab JAR adds a reader "eveflow-b" running that jar (A/B of two builds; the
# same jar and LIVE_BENCH_B_JAVA_OPTS for an A/B of JVM options). LIVE_BENCH_JAVA_OPTS go to both.
# --suricata 8 runs Suricata 8 from the Debian 13 root (src/test/sh/debian13-root.sh) instead of this
# machine's Suricata 7, on the same capture and settings. --jdk21 adds a reader "eveflow-jdk21": the
# same jar and options on the Debian 13 root's OpenJDK 21 (A/B against "eveflow" on OpenJDK 17).
set -euo pipefail
cd "$(dirname "$0")/../.."
rates=42000
rounds=3
clients=20000
wmem=""
readers=eveflow,fever,count
ab_jar=""
warm=1
restart=""
restart_after=8
suricata_major=7
while [ $# -gt 0 ]; do
  case "$1" in
    --restart) restart=1; shift ;;
    --suricata) suricata_major=$2; shift 2 ;;
    --jdk21) readers="$readers,eveflow-jdk21"; shift ;;
    --restart-after) restart_after=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --wmem) wmem=$2; shift 2 ;;
    --readers) readers=$2; shift 2 ;;
    --ab) ab_jar=$(realpath "$2"); readers="$readers,eveflow-b"; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    *) echo "usage: $0 [--rates R1,R2] [--rounds N] [--clients N] [--wmem BYTES] [--readers R1,R2] [--ab JAR] [--warm N]" \
            "[--restart] [--restart-after SECONDS] [--suricata 7|8] [--jdk21]" >&2
       exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "live bench: needs root (network namespace, af-packet)" >&2; exit 2; }

need=()
command -v tcpreplay >/dev/null || need+=(tcpreplay)
[ -x /usr/bin/suricata ] || need+=(suricata)
[ -x /usr/bin/fever ] || need+=(fever)
if [ ${#need[@]} -gt 0 ]; then
  echo "live bench: installing ${need[*]} (run .ci/run once first: it adds bookworm-backports)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports "${need[@]}"
fi
[ -f target/eveflow.jar ] && [ -f target/test-classes/org/eveflow/testing/BenchChart.class ] \
  || mvn -B -ntp -q -DskipTests package test-compile

# the JVM options a user of the package gets (/etc/default/eveflow)
java_opts=$(sed -n 's/^EVEFLOW_JAVA_OPTS="\(.*\)"$/\1/p' systemd/eveflow.default)
[ -n "$java_opts" ] || { echo "live bench: no EVEFLOW_JAVA_OPTS in systemd/eveflow.default" >&2; exit 1; }

out=target/live-bench
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cp=target/test-classes:target/classes
# Suricata 8 and OpenJDK 21 run in the Debian 13 root, which sees the bench's directory at the same path
d13root=target/debian13-root
in_d13() { bash src/test/sh/debian13-root.sh run "$d13root" "$out" "$@"; }
if [ "$suricata_major" = 8 ] || [[ ",$readers," == *,eveflow-jdk21,* ]]; then
  bash src/test/sh/debian13-root.sh unpack "$d13root"
fi
case "$suricata_major" in
  7) suricata_cmd=(suricata) ;;
  8) suricata_cmd=(bash src/test/sh/debian13-root.sh run "$d13root" "$out" suricata) ;;
  *) echo "live bench: --suricata 7 or 8" >&2; exit 2 ;;
esac
ns=evfbench
host_if=evfb0
sensor_if=evfb1
old_wmem=$(sysctl -n net.core.wmem_default)
pids=()

sysroot=""
sdpid=""
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  [ -z "$sdpid" ] || bash src/test/sh/systemd-root.sh halt "$sdpid" "$sysroot" || true
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  sysctl -q -w net.core.wmem_default="$old_wmem" >/dev/null || true
  [ ! -d "$d13root" ] || bash src/test/sh/debian13-root.sh remove "$d13root" || true
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$host_if" type veth peer name "$sensor_if"
ip link set "$sensor_if" netns "$ns"
ip link set "$host_if" up
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set "$sensor_if" up
if [ -n "$wmem" ]; then sysctl -q -w net.core.wmem_default="$wmem"; fi

# the readers under systemd share one booted test root: the package installed, its input socket and the
# bench's sink in /var/lib/eveflow-bench (the root's disk, which the host sees too)
if [[ ",$readers," == *,eveflow-systemd,* || ",$readers," == *,eveflow-nohandover,* || ",$readers," == *,eveflow-upgrade,* ]]; then
  [ -f target/eveflow_*_all.deb ] 2>/dev/null || mvn -B -ntp -q -DskipTests package
  sysroot="$out/sysroot"
  sdpid=$(bash src/test/sh/systemd-root.sh boot "$sysroot")
  cp target/eveflow_*_all.deb "$sysroot/root/eveflow.deb"
  bash src/test/sh/systemd-root.sh run "$sdpid" dpkg -i /root/eveflow.deb > "$out/dpkg.log" 2>&1
  mkdir -p "$sysroot/var/lib/eveflow-bench" "$sysroot/etc/systemd/system/eveflow.socket.d"
  chmod 755 "$sysroot/var/lib/eveflow-bench"
  printf '[Socket]\nListenStream=\nListenStream=/var/lib/eveflow-bench/eve.sock\n' \
    > "$sysroot/etc/systemd/system/eveflow.socket.d/bench.conf"
  sed -i -e 's|^  socket: /run/eveflow/eve.sock|  socket: /var/lib/eveflow-bench/eve.sock|' \
    -e 's|^    socket: /run/eveflow-forward/forward.sock|    socket: /var/lib/eveflow-bench/fwd.sock|' \
    -e 's|^    types: \[alert, stats\]|    types: [alert]|' "$sysroot/etc/eveflow/eveflow.yaml"
fi
sd() { bash src/test/sh/systemd-root.sh run "$sdpid" "$@"; }

pcap="$out/capture.pcap"
flows=$(java -cp "$cp" org.eveflow.testing.LiveCapture "$pcap" "$clients")
echo "live bench: capture with $flows flows, $(stat -c %s "$pcap") bytes; wmem_default $(sysctl -n net.core.wmem_default)"

cat > "$out/local.rules" <<'RULES'
alert http any any -> any any (msg:"eveflow live uri"; flow:established,to_server; http.uri; content:"/eveflow-alert"; sid:9000001; rev:1;)
RULES

# $1 run dir, $2 the reader's socket: Suricata's config, af-packet on the sensor side, socket and file outputs
suricata_config() {
  cat > "$1/suricata.yaml" <<YAML
%YAML 1.1
---
vars:
  address-groups:
    HOME_NET: "[10.0.0.0/8,192.168.0.0/16,2001:db8::/32]"
    EXTERNAL_NET: "any"
  port-groups:
    HTTP_PORTS: "80"
default-log-dir: $1
logging:
  default-log-level: notice
  outputs:
    - console:
        enabled: yes
af-packet:
  - interface: $sensor_if
    threads: 1
    cluster-id: 98
    cluster-type: cluster_flow
    use-mmap: yes
    tpacket-v3: yes
flow:
  managers: 1
flow-timeouts:
  default: {new: 2, established: 3, closed: 0, emergency-new: 1, emergency-established: 1, emergency-closed: 0}
  tcp: {new: 2, established: 3, closed: 1, emergency-new: 1, emergency-established: 1, emergency-closed: 0}
  udp: {new: 2, established: 3, emergency-new: 1, emergency-established: 1}
  icmp: {new: 2, established: 3, emergency-new: 1, emergency-established: 1}
stats:
  enabled: yes
  interval: 2
outputs:
  - eve-log:
      enabled: yes
      filetype: regular
      filename: $1/eve.json
      types: [alert, flow]
  - eve-log:
      enabled: yes
      filetype: unix_stream
      filename: $2
      types: [alert, flow]
  - stats:
      enabled: yes
      filename: $1/stats.log
      append: no
app-layer:
  protocols:
    http:
      enabled: yes
    tls:
      enabled: yes
      detection-ports:
        dp: 443
    dns:
      udp:
        enabled: yes
        detection-ports:
          dp: 53
YAML
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# context switches of every thread of process $1 (voluntary: wake-ups after waiting; involuntary: preempted)
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s + 0}'; }

# per thread of process $1: thread id and name, CPU ticks, context switches
thread_stats() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\t%s\n' "${t##*/}:$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s + 0}' "$t/status" 2>/dev/null)"
  done
}

# waits until FILE stops growing for 3 s (Suricata's flow manager has written what timed out)
wait_quiet() {
  local last=-1 same=0 size
  while [ "$same" -lt 6 ]; do
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; last=$size; fi
    sleep 0.5
  done
}

# waits (up to 30 s) until $1 exists as a socket
wait_socket() { for _ in $(seq 1 300); do [ -S "$1" ] && return 0; sleep 0.1; done; echo "no socket $1" >&2; return 1; }

# $1 run dir, $2 rate, $3 the reader's socket, $4 a command to run $restart_after s into the replay (or
# none): one Suricata run over the capture (started, replayed, quiet, stopped); prints packets sent
suricata_pass() {
  local dir=$1 rate=$2 spid sent
  mkdir -p "$dir"
  suricata_config "$dir" "$3"
  ip netns exec "$ns" "${suricata_cmd[@]}" -c "$dir/suricata.yaml" --af-packet="$sensor_if" -S "$out/local.rules" \
    -l "$dir" -k none > "$dir/suricata.out" 2>&1 &
  spid=$!; pids+=("$spid")
  for _ in $(seq 1 600); do grep -q "Engine started" "$dir/suricata.out" 2>/dev/null && break; sleep 0.1; done
  # Suricata 8's process is the child of the root's launcher (which passes SIGTERM on)
  local cpid=$spid
  [ "$suricata_major" = 7 ] || cpid=$(pgrep -P "$spid" | head -1)
  sleep 1 # af-packet sockets are up once the engine says so; give the ring a moment
  local restarter=""
  if [ -n "${4:-}" ]; then (sleep "$restart_after"; $4 >> "$dir/restart.log" 2>&1) & restarter=$!; fi
  sent=$(tcpreplay -i "$host_if" --pps="$rate" "$pcap" 2>&1 | awk '/Successful packets:/ {print $3}')
  [ -z "$restarter" ] || wait "$restarter"
  wait_quiet "$dir/eve.json"
  cpu_ticks "$cpid" > "$dir/suricata.cpu"
  kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
  echo "$sent"
}

# records Suricata dropped at the socket (its exit log) in run dir $1
socket_drops() { { grep -oE '[0-9]+ events were dropped' "$1/suricata.out" || true; } | awk '{s += $1} END {print s + 0}'; }

printf 'rate\treader\tround\tsent\tkernel_drops\treference\tsocket_drops\treceived\talerts_fwd\talerts_ref\tcpu_us_per_rec\tctx_per_rec\tsuricata_us_per_rec\tlost_pct\trestarts\n' \
  > "$out/results.tsv"

# lines received, summed over every eveflow instance of a run: the last stats line before each stop ($1: a log)
instances_received() {
  awk '/stats: lines_received=/ {last = $0} /eveflow stopped/ {if (match(last, /lines_received=[0-9]+/)) \
    s += substr(last, RSTART + 15, RLENGTH - 15); last = ""} END {print s + 0}' "$1"
}

# $1 run dir, $2 reader, $3 the reader's socket, $4 its sink's socket: starts the reader; its pid in $1/reader.pid
start_reader() {
  local dir=$1 reader=$2 sock=$3 fwd=$4
  case "$reader" in
    eveflow|eveflow-b)
      local jar=target/eveflow.jar
      local b_opts=""
      [ "$reader" = eveflow-b ] && { jar=$ab_jar; b_opts=${LIVE_BENCH_B_JAVA_OPTS:-}; }
      # shellcheck disable=SC2086 # several options in each variable
      java $java_opts ${LIVE_BENCH_JAVA_OPTS:-} $b_opts -jar "$jar" run \
        -i "$sock" -o "$fwd" -t alert >> "$dir/reader.log" 2>&1 & ;;
    eveflow-jdk21)
      # the jar where the root sees it; the JVM in the root is the reader (its pid, for CPU and SIGTERM)
      cp target/eveflow.jar "$out/eveflow.jar"
      # shellcheck disable=SC2086
      in_d13 java $java_opts ${LIVE_BENCH_JAVA_OPTS:-} -jar "$out/eveflow.jar" run \
        -i "$sock" -o "$fwd" -t alert >> "$dir/reader.log" 2>&1 &
      local launcher=$!
      for _ in $(seq 1 100); do pgrep -n -f -- "^java .*-jar $out/eveflow.jar run" > "$dir/reader.pid" && break; sleep 0.05; done
      pids+=("$launcher")
      return ;;
    fever)
      fever run -i "$sock" -o "$fwd" -t alert --mgmt-socket "$dir/mgmt.sock" >> "$dir/reader.log" 2>&1 & ;;
    count)
      java -cp "$cp" org.eveflow.testing.CountingReader "$sock" "$dir/received.count" >> "$dir/reader.log" 2>&1 & ;;
    eveflow-systemd|eveflow-nohandover|eveflow-upgrade)
      sd systemctl stop eveflow.service eveflow.socket
      mkdir -p "$sysroot/etc/systemd/system/eveflow.service.d"
      if [ "$reader" = eveflow-nohandover ]; then
        printf '[Service]\nEnvironment=FDSTORE=0\n' > "$sysroot/etc/systemd/system/eveflow.service.d/bench.conf"
      else
        rm -f "$sysroot/etc/systemd/system/eveflow.service.d/bench.conf"
      fi
      sd systemctl daemon-reload
      # this run's journal starts after this cursor (a second's resolution would take the last run's stop)
      sd journalctl --show-cursor -n 0 -o cat | sed -n 's/^-- cursor: //p' > "$dir/cursor"
      sd systemctl start eveflow.socket eveflow.service
      pgrep -n -f /usr/share/eveflow/eveflow.jar > "$dir/reader.pid"
      return ;;
  esac
  echo $! > "$dir/reader.pid"
}

# $1 run dir, $2 reader, $3 socket, $4 sink socket: the restart in the middle of a measured run
restart_reader() {
  local dir=$1 reader=$2
  case "$reader" in
    eveflow-systemd|eveflow-nohandover) sd systemctl restart eveflow.service ;;
    eveflow-upgrade) sd dpkg -i /root/eveflow.deb ;;
    *) local p; p=$(cat "$dir/reader.pid"); kill -TERM "$p"; while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
       start_reader "$@" ;;
  esac
}

# $1 rate, $2 reader, $3 round. The reader runs through 1 + $warm Suricata runs over the same capture:
# the first $warm warm it up (JIT), the last is measured (CPU and context switches are the reader's
# during it). What each reader received over all runs must equal the references less Suricata's drops.
run_one() {
  local rate=$1 reader=$2 round=$3 restarts=${4:-0} dir="$out/$1-$2-$3-r${4:-0}"
  mkdir -p "$dir"
  local sock="$dir/in.sock" fwd="$dir/fwd.sock" rpid sinkpid
  if [[ "$reader" == eveflow-systemd || "$reader" == eveflow-nohandover || "$reader" == eveflow-upgrade ]]; then
    sock="$sysroot/var/lib/eveflow-bench/eve.sock"; fwd="$sysroot/var/lib/eveflow-bench/fwd.sock"
    rm -f "$fwd"
  fi
  java -cp "$cp" org.eveflow.testing.CountingReader "$fwd" "$dir/forwarded.count" "$dir/forwarded.json" \
    > "$dir/sink.log" 2>&1 &
  sinkpid=$!; pids+=("$sinkpid")
  wait_socket "$fwd"
  chmod 666 "$fwd" # a reader under systemd runs as user eveflow
  start_reader "$dir" "$reader" "$sock" "$fwd"
  rpid=$(cat "$dir/reader.pid"); pids+=("$rpid")
  wait_socket "$sock"
  if [ "$reader" != count ]; then # the reader has connected its output
    for _ in $(seq 1 300); do grep -q accepted "$dir/sink.log" && break; sleep 0.1; done
  fi
  local w
  for w in $(seq 1 "$warm"); do suricata_pass "$dir/warm$w" "$rate" "$sock" > /dev/null; done
  local cpu0 ctx0 cpu1 ctx1 sent
  cpu0=$(cpu_ticks "$rpid"); ctx0=$(ctx_switches "$rpid"); thread_stats "$rpid" > "$dir/threads.0"
  local restart_cmd=""
  [ "$restarts" = 0 ] || restart_cmd="restart_reader $dir $reader $sock $fwd"
  sent=$(suricata_pass "$dir/measured" "$rate" "$sock" "$restart_cmd")
  if [ "$restarts" = 0 ]; then
    cpu1=$(cpu_ticks "$rpid"); ctx1=$(ctx_switches "$rpid"); thread_stats "$rpid" > "$dir/threads.1"
  else
    cpu1=$cpu0; ctx1=$ctx0 # the process changed: no CPU figure for a run with a restart
  fi
  case "$reader" in
    eveflow-systemd|eveflow-nohandover|eveflow-upgrade)
      sd systemctl stop eveflow.service
      sd journalctl -u eveflow.service -o cat --no-pager --after-cursor "$(cat "$dir/cursor")" > "$dir/reader.log" ;;
    *) rpid=$(cat "$dir/reader.pid"); kill -TERM "$rpid"; while kill -0 "$rpid" 2>/dev/null; do sleep 0.05; done ;;
  esac
  kill -TERM "$sinkpid"; wait "$sinkpid" 2>/dev/null || true
  local m="$dir/measured" reference socket_drops kernel_drops received total alerts_fwd alerts_ref scpu
  reference=$(wc -l < "$m/eve.json")
  socket_drops=$(socket_drops "$m")
  received=$((reference - socket_drops))
  kernel_drops=$(awk -F'|' '/capture.kernel_drops/ {v = $3} END {gsub(/ /, "", v); print v + 0}' "$m/stats.log")
  scpu=$(awk -v t="$(cat "$m/suricata.cpu")" -v n="$reference" 'BEGIN {printf("%.1f", n > 0 ? t * 10000 / n : 0)}')
  # alerts: every one forwarded must be one of the references' (all runs), byte for byte
  cat "$dir"/warm*/eve.json "$m/eve.json" | { grep '"event_type":"alert"' || true; } | sort > "$dir/alerts.ref"
  grep '"event_type":"alert"' "$dir/forwarded.json" | sort > "$dir/alerts.fwd" || true
  alerts_ref=$(wc -l < "$dir/alerts.ref")
  alerts_fwd=$(comm -12 "$dir/alerts.ref" "$dir/alerts.fwd" | wc -l)
  if [ "$alerts_fwd" != "$(wc -l < "$dir/alerts.fwd")" ]; then
    echo "live bench: $dir: forwarded alerts that are not in the reference" >&2
  fi
  # the reader's own count over all runs against the references less Suricata's drops
  local expected=$received
  for w in "$dir"/warm*; do expected=$(( expected + $(wc -l < "$w/eve.json") - $(socket_drops "$w") )); done
  case "$reader" in
    eveflow|eveflow-b|eveflow-jdk21|eveflow-systemd|eveflow-nohandover|eveflow-upgrade) total=$(instances_received "$dir/reader.log") ;;
    count) total=$(cat "$dir/received.count") ;;
    fever) total=$expected ;; # FEVER logs no line count; its forwarded alerts are checked above
  esac
  if [ "$total" != "$expected" ]; then
    echo "live bench: $dir: the reader counted $total lines, the references less Suricata's drops are $expected" >&2
  fi
  local cpu_us ctx lost
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v n="$received" 'BEGIN {printf("%.1f", n > 0 ? t * 10000 / n : 0)}')
  ctx=$(awk -v t=$((ctx1 - ctx0)) -v n="$received" 'BEGIN {printf("%.2f", n > 0 ? t / n : 0)}')
  lost=$(awk -v r="$reference" -v n="$received" 'BEGIN {printf("%.2f", r > 0 ? (r - n) * 100 / r : 0)}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$reader" "$round" "$sent" \
    "$kernel_drops" "$reference" "$socket_drops" "$received" "$alerts_fwd" "$alerts_ref" "$cpu_us" "$ctx" \
    "$scpu" "$lost" "$restarts" | tee -a "$out/results.tsv"
}

IFS=, read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  for round in $(seq 1 "$rounds"); do
    IFS=, read -r -a reader_list <<< "$readers"
    for reader in "${reader_list[@]}"; do
      run_one "$rate" "$reader" "$round" 0
      if [ -n "$restart" ] && [ "$reader" != count ]; then run_one "$rate" "$reader" "$round" 1; fi
    done
  done
done

echo
echo "medians (rate, reader: lost %, socket drops, CPU and context switches per record, kernel drops)"
python3 - "$out/results.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
for key in sorted({(r['rate'], r['reader'], r['restarts']) for r in rows}, key=lambda k: (int(k[0]), k[1], k[2])):
    rs = [r for r in rows if (r['rate'], r['reader'], r['restarts']) == key]
    med = lambda f: statistics.median(float(r[f]) for r in rs)
    print(f"{key[0]:>7} pps {key[1]:18} restarts {key[2]}  lost {med('lost_pct'):6.2f} %  socket drops {med('socket_drops'):7.0f}"
          f"  cpu {med('cpu_us_per_rec'):6.1f} us/rec  ctx {med('ctx_per_rec'):5.2f}/rec"
          f"  suricata {med('suricata_us_per_rec'):5.1f} us/rec  kernel drops {med('kernel_drops'):6.0f}  ({len(rs)} runs)")
PY
java -cp "$cp" org.eveflow.testing.BenchChart "$out/results.tsv" "$out/results.png" \
  "eveflow live bench: Suricata 7 af-packet, $rounds rounds, wmem_default $(sysctl -n net.core.wmem_default)" \
  && echo "chart: $out/results.png" || echo "live bench: no chart (headless AWT needs fontconfig and a font)" >&2
