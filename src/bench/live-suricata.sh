#!/usr/bin/env bash
# Live bench: a real Suricata 7 capturing with af-packet in a private network namespace, fed by
# tcpreplay over a veth pair, writing EVE to a reader's Unix socket (non-blocking: it drops whole
# records when the socket is full) and to a regular file (the reference). Readers alternate in each
# round: eveflow (the unit's JVM options), FEVER 1.3.7, and a reader that only counts lines.
#
#   bash src/bench/live-suricata.sh [--rates 42000,85000] [--rounds 3] [--clients 20000] [--wmem BYTES]
#
# Root, Debian 12. Installs tcpreplay, suricata and fever (bookworm-backports) if missing, builds the
# jar and test classes, and removes its namespace, veth pair and processes when done. One run (one
# reader at one rate) takes about capture packets / rate + 25 s; 3 rounds x 3 readers x 2 rates with
# the default capture (~720k packets) about 15 minutes. Results: a line per run, then medians per
# rate and reader; also in target/live-bench/results.tsv.
#
# Columns: packets sent (tcpreplay), kernel drops (Suricata's af-packet counter), reference records
# (alert + flow in the file output), records Suricata dropped at the socket (its exit log), records
# the reader received, alerts it forwarded, its CPU per received record, and the lost share.
# --wmem sets net.core.wmem_default for the run (Suricata's socket gets its buffer from it) and
# restores it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
rates=42000
rounds=3
clients=20000
wmem=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --wmem) wmem=$2; shift 2 ;;
    *) echo "usage: $0 [--rates R1,R2] [--rounds N] [--clients N] [--wmem BYTES]" >&2; exit 2 ;;
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
[ -f target/eveflow.jar ] && [ -d target/test-classes/org/eveflow/testing ] \
  || mvn -B -ntp -q -DskipTests package test-compile

out=target/live-bench
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cp=target/test-classes:target/classes
ns=evfbench
host_if=evfb0
sensor_if=evfb1
old_wmem=$(sysctl -n net.core.wmem_default)
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  sysctl -q -w net.core.wmem_default="$old_wmem" >/dev/null || true
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$host_if" type veth peer name "$sensor_if"
ip link set "$sensor_if" netns "$ns"
ip link set "$host_if" up
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set "$sensor_if" up
if [ -n "$wmem" ]; then sysctl -q -w net.core.wmem_default="$wmem"; fi

pcap="$out/capture.pcap"
flows=$(java -cp "$cp" org.eveflow.testing.LiveCapture "$pcap" "$clients")
echo "live bench: capture with $flows flows, $(stat -c %s "$pcap") bytes; wmem_default $(sysctl -n net.core.wmem_default)"

cat > "$out/local.rules" <<'RULES'
alert http any any -> any any (msg:"eveflow live uri"; flow:established,to_server; http.uri; content:"/eveflow-alert"; sid:9000001; rev:1;)
RULES

# $1 run dir: Suricata's config, af-packet on the sensor side, socket and file outputs
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
      filename: $1/in.sock
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

# waits until FILE stops growing for 3 s (Suricata's flow manager has written what timed out)
wait_quiet() {
  local last=-1 same=0 size
  while [ "$same" -lt 6 ]; do
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; last=$size; fi
    sleep 0.5
  done
}

printf 'rate\treader\tround\tsent\tkernel_drops\treference\tsocket_drops\treceived\talerts_fwd\tcpu_us_per_rec\tlost_pct\n' \
  > "$out/results.tsv"

# $1 rate, $2 reader, $3 round
run_one() {
  local rate=$1 reader=$2 round=$3 dir="$out/$1-$2-$3"
  mkdir -p "$dir"
  suricata_config "$dir"
  local sock="$dir/in.sock" fwd="$dir/fwd.sock" rpid sinkpid
  java -cp "$cp" org.eveflow.testing.CountingReader "$fwd" "$dir/forwarded.count" > "$dir/sink.log" 2>&1 &
  sinkpid=$!; pids+=("$sinkpid")
  case "$reader" in
    eveflow)
      java -Xmx1g -Xmn64m -XX:MaxDirectMemorySize=256m -XX:+UseParallelGC -jar target/eveflow.jar run \
        -i "$sock" -o "$fwd" -t alert -f 1m > "$dir/reader.log" 2>&1 & ;;
    fever)
      fever run -i "$sock" -o "$fwd" -t alert -f 1s --mgmt-socket "$dir/mgmt.sock" > "$dir/reader.log" 2>&1 & ;;
    count)
      java -cp "$cp" org.eveflow.testing.CountingReader "$sock" "$dir/received.count" > "$dir/reader.log" 2>&1 & ;;
  esac
  rpid=$!; pids+=("$rpid")
  for _ in $(seq 1 300); do [ -S "$sock" ] && [ -S "$fwd" ] && break; sleep 0.1; done
  sleep 1 # the reader connects its output
  local cpu0; cpu0=$(cpu_ticks "$rpid")
  ip netns exec "$ns" suricata -c "$dir/suricata.yaml" --af-packet="$sensor_if" -S "$out/local.rules" -l "$dir" \
    -k none > "$dir/suricata.out" 2>&1 &
  local spid=$!; pids+=("$spid")
  for _ in $(seq 1 600); do grep -q "Engine started" "$dir/suricata.out" 2>/dev/null && break; sleep 0.1; done
  sleep 1 # af-packet sockets are up once the engine says so; give the ring a moment
  local sent
  sent=$(tcpreplay -i "$host_if" --pps="$rate" "$pcap" 2>&1 | awk '/Successful packets:/ {print $3}')
  wait_quiet "$dir/eve.json"
  kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
  if [ "$reader" = fever ]; then
    local n; n=$(grep -c "flushing events" "$dir/reader.log" || true)
    for _ in $(seq 1 50); do [ "$(grep -c "flushing events" "$dir/reader.log" || true)" -ge $((n + 2)) ] && break; sleep 0.1; done
  fi
  local cpu1; cpu1=$(cpu_ticks "$rpid")
  kill -TERM "$rpid"; wait "$rpid" 2>/dev/null || true
  kill -TERM "$sinkpid"; wait "$sinkpid" 2>/dev/null || true
  local reference socket_drops kernel_drops received alerts
  reference=$(wc -l < "$dir/eve.json")
  socket_drops=$(grep -oE '[0-9]+ events were dropped' "$dir/suricata.out" | awk '{s += $1} END {print s + 0}')
  kernel_drops=$(awk -F'|' '/capture.kernel_drops/ {v = $3} END {gsub(/ /, "", v); print v + 0}' "$dir/stats.log")
  alerts=$(cat "$dir/forwarded.count" 2>/dev/null || echo 0)
  case "$reader" in
    eveflow) received=$(grep -oE 'lines_received=[0-9]+' "$dir/reader.log" | tail -1 | cut -d= -f2) ;;
    fever) received=$(( $(grep -oE 'in_flows=[0-9]+' "$dir/reader.log" | cut -d= -f2 | awk '{s += $1} END {print s + 0}') + alerts )) ;;
    count) received=$(cat "$dir/received.count") ;;
  esac
  local cpu_us lost
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v n="$received" 'BEGIN {printf "%.1f", n > 0 ? t * 10000 / n : 0}')
  lost=$(awk -v r="$reference" -v n="$received" 'BEGIN {printf "%.2f", r > 0 ? (r - n) * 100 / r : 0}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$reader" "$round" "$sent" "$kernel_drops" \
    "$reference" "$socket_drops" "$received" "$alerts" "$cpu_us" "$lost" | tee -a "$out/results.tsv"
}

IFS=, read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  for round in $(seq 1 "$rounds"); do
    for reader in eveflow fever count; do
      run_one "$rate" "$reader" "$round"
    done
  done
done

echo
echo "medians (rate, reader: lost %, socket drops, CPU us per record, kernel drops)"
python3 - "$out/results.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
for key in sorted({(r['rate'], r['reader']) for r in rows}, key=lambda k: (int(k[0]), k[1])):
    rs = [r for r in rows if (r['rate'], r['reader']) == key]
    med = lambda f: statistics.median(float(r[f]) for r in rs)
    print(f"{key[0]:>7} pps {key[1]:8} lost {med('lost_pct'):6.2f} %  socket drops {med('socket_drops'):8.0f}"
          f"  cpu {med('cpu_us_per_rec'):6.1f} us/rec  kernel drops {med('kernel_drops'):6.0f}  ({len(rs)} runs)")
PY
