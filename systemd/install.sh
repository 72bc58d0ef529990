#!/bin/sh
# Installs eveflow the way a package would (run from the source tree after 'mvn package'):
#   /usr/share/eveflow/eveflow.jar, /usr/share/doc/eveflow/README.md,
#   /etc/eveflow/eveflow.yaml (sockets under /run), /etc/default/eveflow (JVM options), both kept if present,
#   /lib/systemd/system/eveflow.{service,socket}, /usr/lib/sysusers.d/eveflow.conf.
# DESTDIR=/some/root installs below that root and touches nothing else (as a package build does);
# without DESTDIR it also creates the user and reloads systemd. Then:
#   systemctl enable --now eveflow.socket eveflow.service
set -eu
cd "$(dirname "$0")/.."
root="${DESTDIR:-}"
[ -f target/eveflow.jar ] || { echo "install.sh: no target/eveflow.jar; run 'mvn -B -DskipTests package' first" >&2; exit 1; }

install -D -m 0644 target/eveflow.jar "$root/usr/share/eveflow/eveflow.jar"
install -D -m 0644 README.md "$root/usr/share/doc/eveflow/README.md"
install -D -m 0644 conf/suricata-eve.yaml "$root/usr/share/doc/eveflow/suricata-eve.yaml"
install -d -m 0755 "$root/etc/eveflow"
if [ ! -e "$root/etc/eveflow/eveflow.yaml" ]; then
  # PrivateTmp hides /tmp from the service: the packaged sockets live under /run.
  sed -e 's|^  socket: /tmp/suri.sock$|  socket: /run/eveflow/eve.sock|' \
      -e 's|/tmp/suri-forward.sock|/run/eveflow-forward/forward.sock|' \
      conf/eveflow.yaml > "$root/etc/eveflow/eveflow.yaml"
  chmod 0644 "$root/etc/eveflow/eveflow.yaml"
fi
[ -e "$root/etc/default/eveflow" ] || install -D -m 0644 systemd/eveflow.default "$root/etc/default/eveflow"
install -D -m 0644 systemd/eveflow.service "$root/lib/systemd/system/eveflow.service"
install -D -m 0644 systemd/eveflow.socket "$root/lib/systemd/system/eveflow.socket"
install -D -m 0644 systemd/eveflow.sysusers "$root/usr/lib/sysusers.d/eveflow.conf"

if [ -z "$root" ]; then
  systemd-sysusers eveflow.conf
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
  fi
  echo "installed; start with: systemctl enable --now eveflow.socket eveflow.service"
fi
