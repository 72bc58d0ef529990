#!/usr/bin/env bash
# A Debian 12 root whose systemd 252 runs as PID 1 in a PID and mount namespace of its own, for the
# tests that need a real service manager (SystemdServiceIT). systemd-nspawn needs a system bus this
# machine lacks, and Debian 13's systemd needs cgroup v2; this one needs neither.
#   systemd-root.sh tarball           path of the root's tarball, built with mmdebstrap if missing (cached)
#   systemd-root.sh boot DIR          unpacks the tarball into DIR, boots systemd there; prints its host pid
#   systemd-root.sh run PID CMD...    runs CMD inside (PID: what boot printed)
#   systemd-root.sh halt PID DIR      kills that PID 1 (the namespaces and their mounts end with it), removes DIR
# The mirror is the one the machine's apt sources use (no host name here).
set -euo pipefail
PACKAGES=systemd,systemd-sysv,dbus,default-jre-headless,adduser,procps,python3-minimal
CACHE=${EVEFLOW_TEST_ROOT_CACHE:-/var/cache/eveflow-test-roots}

# shellcheck source=debian-mirror.sh
. "$(dirname "$0")/debian-mirror.sh"

tarball() {
  local key tar
  key=$(printf '%s\n' "$PACKAGES" "$(sed -n '/^PACKAGES=/p' "$0")" | sha256sum | cut -c1-12)
  tar="$CACHE/bookworm-systemd-$key.tar"
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null || { echo "systemd-root.sh: mmdebstrap is missing (.ci/run installs it)" >&2; exit 1; }
    mkdir -p "$CACHE"
    mmdebstrap --quiet --format=tar --variant=minbase --include="$PACKAGES" bookworm "$tar.part" "$(debian_mirror)" >&2
    mv "$tar.part" "$tar"
  fi
  echo "$tar"
}

case "${1:-}" in
  tarball)
    tarball ;;
  boot)
    dir=$2
    mkdir -p "$dir"
    tar -C "$dir" -xf "$(tarball)"
    # private mounts, the root bound onto itself and /dev bound in (the units' sandboxing needs both)
    setsid unshare --pid --fork --mount --propagation private bash -c "
      mount --bind '$dir' '$dir'
      mount -t proc proc '$dir/proc'
      mount --rbind /sys '$dir/sys'
      mount --rbind /dev '$dir/dev'
      mount -t tmpfs tmpfs '$dir/run'
      mount -t tmpfs tmpfs '$dir/tmp'
      exec env container=other chroot '$dir' /lib/systemd/systemd --system --log-target=console
    " > "$dir.boot.log" 2>&1 < /dev/null &
    launcher=$!
    for _ in $(seq 1 100); do
      pid=$(pgrep -P "$launcher" || true)
      # running, or degraded (a unit of the minimal root failed): the manager is up either way
      if [ -n "$pid" ] && nsenter -t "$pid" -p -m -r /bin/systemctl is-system-running --wait 2>/dev/null \
          | grep -qE '^(running|degraded)$'; then
        echo "$pid"
        exit 0
      fi
      sleep 0.2
    done
    echo "systemd-root.sh: systemd did not come up in $dir (see $dir.boot.log)" >&2
    kill -9 "$launcher" 2>/dev/null || true
    exit 1 ;;
  run)
    pid=$2; shift 2
    exec nsenter -t "$pid" -p -m -r -w/ "$@" ;;
  halt)
    pid=$2; dir=$3
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -rf --one-file-system "$dir" "$dir.boot.log" ;;
  *)
    sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
