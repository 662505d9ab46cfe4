#!/bin/sh
# deb.sh - the Debian package (packaging/mkdeb.sh, `make deb`): builds it from CHITIEU, inspects
# it (dpkg-deb -I/-c: fields, files, modes, conffiles), checks its dependencies are real packages
# installed here, installs it with dpkg into a private root (dpkg --root; no root privileges
# needed), keeps an edited conffile across a reinstall, starts the installed binary with the
# installed configuration and the unit's own command line against SQLite and reads /healthz,
# verifies the unit with systemd-analyze where it exists, and purges the package.
# With CHITIEU_DEB_INSTALL=1 and root (or passwordless sudo), also installs it for real with
# dpkg -i, serves from /usr/bin with /etc/chitieu/chitieu.conf, and purges it (skipped when a
# chitieu package is already installed).  Prints "e2e deb: N passed, N failed".
bin=${CHITIEU:-build/chitieu}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pass=0 fail=0 pid=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "deb FAIL: $1"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$3', got '$2'"; fi; }
has() { if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi; }
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
unset CHITIEU_DB CHITIEU_CONFIG

# Serves with the given command (words), waits for the address, reads /healthz into $work/hz.
serve_and_check() {
  what=$1
  shift
  "$@" >"$work/out" 2>"$work/log" &
  pid=$!
  for i in $(seq 1 50); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
  code=$(curl -s -o "$work/hz" -w '%{http_code}' "$url/healthz")
  expect "$what: healthz" "$code" 200
  has "$what: healthz body" "$work/hz" '"status":"ok","db":"sqlite"'
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/metrics")
  expect "$what: metrics from loopback" "$code" 200
  has "$what: the configuration file was read" "$work/out" "chitieu.conf"
  kill -TERM $pid
  wait $pid
  expect "$what: clean stop" $? 0
  pid=
}

deb=$("$top/packaging/mkdeb.sh" "$bin" "$work/out.d" 2>"$work/err")
expect "package built" $? 0
[ -f "$deb" ] && ok || { bad "no .deb ($(cat "$work/err"))"; echo "e2e deb: $pass passed, $fail failed"; exit 1; }
version=$("$bin" --version | sed -n 's/^chitieu //p')
expect "file name" "$(basename "$deb")" "chitieu_${version}_$(dpkg --print-architecture).deb"

dpkg-deb -I "$deb" >"$work/info"
has "package name" "$work/info" "^ Package: chitieu$"
has "version" "$work/info" "^ Version: $version$"
has "depends on sqlite" "$work/info" "^ Depends: .*libsqlite3"
has "depends on microhttpd" "$work/info" "^ Depends: .*libmicrohttpd"
has "conffiles in the control archive" "$work/info" "conffiles"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles"
expect "the configuration is a conffile" "$(cat "$work/conffiles")" "/etc/chitieu/chitieu.conf"
dpkg-deb -c "$deb" >"$work/list"
has "binary in /usr/bin" "$work/list" "^-rwxr-xr-x root/root .* ./usr/bin/chitieu$"
has "unit in /lib/systemd/system" "$work/list" "^-rw-r--r-- root/root .* ./lib/systemd/system/chitieu.service$"
has "configuration in /etc/chitieu" "$work/list" "^-rw-r--r-- root/root .* ./etc/chitieu/chitieu.conf$"
has "deployment guide" "$work/list" " ./usr/share/doc/chitieu/deploy.md$"
has "nginx example" "$work/list" " ./usr/share/doc/chitieu/examples/nginx-chitieu.conf$"
has "copyright" "$work/list" " ./usr/share/doc/chitieu/copyright$"
# every dependency is a package installed on this (the build) machine
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//')
missing=
for d in $deps; do
  dpkg-query -W -f='${Status}\n' "$d" 2>/dev/null | grep -q "install ok installed" || missing="$missing $d"
done
expect "dependencies are installed packages" "$missing" ""

# install into a private root with dpkg itself (its database there knows none of the libraries:
# --force-depends; they were checked against this machine above)
root=$work/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
: >"$root/var/lib/dpkg/status"
dpkgr() { dpkg --root="$root" --log=/dev/null --force-not-root --force-depends "$@"; }
dpkgr -i "$deb" >"$work/inst" 2>&1
expect "dpkg --root -i" $? 0
dpkg --root="$root" -s chitieu 2>/dev/null | grep -q "^Status: install ok installed" && ok || bad "dpkg knows it installed"
[ -x "$root/usr/bin/chitieu" ] && ok || bad "installed binary"
expect "installed binary runs" "$("$root/usr/bin/chitieu" --version)" "chitieu $version"
# an administrator's edit of the conffile survives a reinstall
echo "# edited by the administrator" >>"$root/etc/chitieu/chitieu.conf"
dpkgr --force-confold -i "$deb" >"$work/inst" 2>&1
expect "reinstall" $? 0
has "edited conffile kept" "$root/etc/chitieu/chitieu.conf" "edited by the administrator"

# the installed binary with the installed configuration (flags give the database in the private
# root and a free port: flags win over the file), then the unit's own ExecStart line
state=$root/var/lib/chitieu
mkdir -p "$state"
"$root/usr/bin/chitieu" init --db "$state/chitieu.db" >/dev/null
expect "init" $? 0
serve_and_check "installed config" "$root/usr/bin/chitieu" serve --config "$root/etc/chitieu/chitieu.conf" \
  --db "$state/chitieu.db" --listen 127.0.0.1:0
unit=$root/lib/systemd/system/chitieu.service
execstart=$(sed -n 's/^ExecStart=//p' "$unit")
expect "unit's command" "$execstart" "/usr/bin/chitieu serve --config /etc/chitieu/chitieu.conf"
# shellcheck disable=SC2086
serve_and_check "unit's command line" $(echo "$execstart" | sed "s|/usr/bin/|$root/usr/bin/|; s|/etc/|$root/etc/|") \
  --db "$state/chitieu.db" --listen 127.0.0.1:0
for k in DynamicUser=yes StateDirectory=chitieu ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
         RestrictAddressFamilies= SystemCallFilter=@system-service CapabilityBoundingSet=; do
  has "unit sandboxing $k" "$unit" "^$k"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  # the unit as installed, its binary path pointed at the private root (verify checks it exists)
  mkdir -p "$work/unit"
  sed "s|/usr/bin/chitieu|$root/usr/bin/chitieu|g" "$unit" >"$work/unit/chitieu.service"
  systemd-analyze verify "$work/unit/chitieu.service" >"$work/verify" 2>&1
  expect "systemd-analyze verify" "$?:$(cat "$work/verify")" "0:"
  systemd-analyze security --offline=yes "$work/unit/chitieu.service" >"$work/sec" 2>&1
  level=$(sed -n 's/.*Overall exposure level for chitieu.service: \([0-9.]*\).*/\1/p' "$work/sec")
  [ -n "$level" ] && awk "BEGIN { exit !($level <= 2.0) }" && ok || bad "exposure level '$level' above 2.0"
else
  echo "deb: systemd-analyze not found, unit not verified"
fi
dpkgr -P chitieu >"$work/inst" 2>&1
expect "purge" $? 0
[ ! -e "$root/usr/bin/chitieu" ] && [ ! -e "$root/etc/chitieu/chitieu.conf" ] && ok || bad "purge removes files and conffile"

# a real installation, when asked for and allowed
if [ "${CHITIEU_DEB_INSTALL:-0}" = 1 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=no; fi
  if [ "$sudo" = no ]; then
    echo "deb: real install skipped (neither root nor passwordless sudo)"
  elif dpkg -s chitieu >/dev/null 2>&1; then
    echo "deb: real install skipped (a chitieu package is already installed)"
  else
    $sudo dpkg -i "$deb" >"$work/inst" 2>&1
    expect "dpkg -i" $? 0
    $sudo /usr/bin/chitieu init --db "$work/real.db" >/dev/null
    serve_and_check "real install" $sudo /usr/bin/chitieu serve --config /etc/chitieu/chitieu.conf \
      --db "$work/real.db" --listen 127.0.0.1:0
    $sudo dpkg -P chitieu >"$work/inst" 2>&1
    expect "dpkg -P" $? 0
  fi
fi

echo "e2e deb: $pass passed, $fail failed"
[ "$fail" = 0 ]
