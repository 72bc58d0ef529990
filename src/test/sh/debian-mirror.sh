# Sourced: debian_mirror prints the Debian mirror the machine's apt sources use (deb822 .sources files
# first, then sources.list; security suites left out), so that nothing here names a host.
debian_mirror() {
  local m
  m=$(grep -rhoE '^URIs:[[:space:]]*[^[:space:]]+' /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '$2 !~ /security/ {print $2; exit}')
  [ -n "$m" ] || m=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  [ -n "$m" ] || { echo "no Debian mirror in the machine's apt sources" >&2; return 1; }
  echo "$m"
}
