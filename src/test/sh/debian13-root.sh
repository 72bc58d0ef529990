#!/usr/bin/env bash
# A Debian 13 (trixie) root for the tests that need what a sensor built today runs: Suricata 8 (from
# trixie-backports), OpenJDK 21 (default-jre-headless), Debian 13's dpkg and lintian. Made with
# mmdebstrap from the Debian mirror the machine's apt sources use (no host name here), cached as a
# tarball keyed by the versions of every package it holds (resolved with a private apt state: the
# machine's own apt state and packages are never touched), so that a second run unpacks it (2 s)
# instead of building it (about a minute).
#   debian13-root.sh tarball               path of the root's tarball, built if missing
#   debian13-root.sh unpack DIR            a fresh root in DIR, from the tarball
#   debian13-root.sh run DIR WORK CMD...   CMD chrooted in DIR, in a mount namespace of its own, with
#                                          /proc, /sys, /dev, a tmpfs /run and WORK (a host directory, at the
#                                          same path inside) mounted; a trap unmounts them when CMD ends,
#                                          fails or is interrupted (and they cannot outlive the namespace)
#   debian13-root.sh remove DIR            removes the root (nothing is mounted in it outside run)
set -euo pipefail
SUITE=trixie
# suricata comes from trixie-backports (8.0), the rest from trixie; python3 runs the test readers
PACKAGES=(suricata/trixie-backports default-jre-headless lintian adduser procps python3-minimal)
CACHE=${EVEFLOW_TEST_ROOT_CACHE:-/var/cache/eveflow-test-roots}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# shellcheck source=debian-mirror.sh
. "$(dirname "$0")/debian-mirror.sh"

# "package=version" for every package the root would hold, resolved against the mirror's indexes in a
# private apt state (an empty dpkg status: the whole closure, essential packages included).
versions() {
  local m=$1 tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/prefs" "$tmp/parts"
  printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$m" "$SUITE" "$KEYRING" "$m" "$SUITE-backports" \
    > "$tmp/sources.list"
  : > "$tmp/status"
  local o=(-o "Dir::State::Lists=$tmp/lists" -o "Dir::State::status=$tmp/status"
           -o "Dir::State::extended_states=$tmp/extended_states" -o "Dir::Cache=$tmp/cache"
           -o "Dir::Etc::SourceList=$tmp/sources.list" -o "Dir::Etc::SourceParts=$tmp/parts"
           -o "Dir::Etc::Preferences=$tmp/prefs/none" -o "Dir::Etc::PreferencesParts=$tmp/prefs"
           -o "APT::Architecture=$(dpkg --print-architecture)" -o "Acquire::Languages=none"
           -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
  apt-get "${o[@]}" -qq update >&2
  apt-get "${o[@]}" -s -qq install "${PACKAGES[@]}" "?essential" \
    | sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p' | sort
}

tarball() {
  local m key tar include
  m=$(debian_mirror)
  key=$( { versions "$m"; sed -n '/^PACKAGES=/p' "$0"; } | sha256sum | cut -c1-12)
  tar="$CACHE/$SUITE-$key.tar"
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null || { echo "debian13-root.sh: mmdebstrap is missing (.ci/run installs it)" >&2; exit 1; }
    mkdir -p "$CACHE"
    include=$(IFS=,; echo "${PACKAGES[*]}")
    echo "debian13-root.sh: building the Debian 13 root $tar (mmdebstrap, about a minute)" >&2
    mmdebstrap --quiet --format=tar --variant=minbase --include="$include" "$SUITE" "$tar.part" \
      "deb $m $SUITE main" "deb $m $SUITE-backports main" >&2
    mv "$tar.part" "$tar"
    # older roots of this suite are stale now
    find "$CACHE" -maxdepth 1 -name "$SUITE-*.tar" ! -name "$(basename "$tar")" -delete
  fi
  echo "$tar"
}

case "${1:-}" in
  tarball)
    tarball ;;
  unpack)
    dir=$2
    tar=$(tarball)
    rm -rf --one-file-system "$dir"
    mkdir -p "$dir"
    tar -C "$dir" -xf "$tar"
    ;;
  run)
    dir=$(realpath "$2"); work=$(realpath "$3"); shift 3
    [ -x "$dir/usr/bin/dpkg" ] || { echo "debian13-root.sh: no root in $dir (unpack it first)" >&2; exit 1; }
    exec unshare --mount --propagation private bash -c '
      dir=$1 work=$2; shift 2
      cleanup() { umount -R "$dir$work" "$dir/run" "$dir/dev" "$dir/sys" "$dir/proc" 2>/dev/null || true; }
      trap cleanup EXIT
      mount -t proc proc "$dir/proc" && mount --rbind /sys "$dir/sys" && mount --rbind /dev "$dir/dev" \
        && mount -t tmpfs tmpfs "$dir/run" \
        && mkdir -p "$dir$work" && mount --bind "$work" "$dir$work" || exit 1
      # CMD runs as a child, so that a SIGTERM to this process reaches it (and the trap runs after it)
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$dir" "$@" &
      child=$!
      trap "kill -TERM $child 2>/dev/null" TERM INT HUP
      while :; do
        wait "$child"; rc=$?
        kill -0 "$child" 2>/dev/null || break
      done
      exit "$rc"
    ' debian13-root "$dir" "$work" "$@" ;;
  remove)
    rm -rf --one-file-system "$2" ;;
  *)
    sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
