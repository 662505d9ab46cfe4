#!/bin/sh
# mkdeb.sh BINARY OUTDIR - builds the Debian package of chitieu with dpkg-deb (make deb).
#
# Contents: the binary in /usr/bin (stripped), the systemd unit in /lib/systemd/system, the
# configuration in /etc/chitieu (a conffile: an administrator's edits survive upgrades), the
# user documentation in /usr/share/doc/chitieu, with the nginx example for several servers.  Depends is computed from the libraries the
# binary links directly (dpkg -S on each library's path), so it names this build machine's packages.
# Prints the path of the .deb.
set -eu
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
version=$("$bin" --version | sed -n 's/^chitieu //p')
arch=$(dpkg --print-architecture)
[ -n "$version" ] || { echo "mkdeb: cannot read the version of $bin" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/chitieu

install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/chitieu" \
  "$root/usr/share/doc/chitieu"
install -m 0755 "$bin" "$root/usr/bin/chitieu"
strip --strip-unneeded "$root/usr/bin/chitieu" 2>/dev/null || true
install -m 0644 "$here/chitieu.service" "$root/lib/systemd/system/chitieu.service"
install -m 0644 "$here/chitieu.conf" "$root/etc/chitieu/chitieu.conf"
install -m 0644 "$here/copyright" "$root/usr/share/doc/chitieu/copyright"
for d in README.md docs/deploy.md docs/scale.md docs/api.md docs/formats.md docs/openapi.json; do
  [ -f "$top/$d" ] && install -m 0644 "$top/$d" "$root/usr/share/doc/chitieu/$(basename "$d")"
done
# the reverse proxy in front of two servers (docs/deploy.md), an example, not a live config
install -d "$root/usr/share/doc/chitieu/examples"
install -m 0644 "$here/nginx/chitieu.conf" "$root/usr/share/doc/chitieu/examples/nginx-chitieu.conf"

# Depends: the package of every shared library the binary links directly (ELF NEEDED).
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
deps=$(ldd "$bin" | awk '/=> \// { print $1, $3 }' | while read -r name lib; do
  echo "$needed" | grep -qx "$name" || continue
  real=$(readlink -f "$lib")
  for p in "$lib" "$real" "/usr$lib" "/usr$real" "${lib#/usr}" "${real#/usr}"; do
    pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && { echo "$pkg"; break; }
  done
done | sort -u | paste -sd, - | sed 's/,/, /g')

size=$(du -sk "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: chitieu
Version: $version
Architecture: $arch
Maintainer: chitieu maintainers <chitieu@localhost>
Installed-Size: $size
Depends: ${deps:-libc6}
Section: web
Priority: optional
Homepage: https://localhost/chitieu
Description: target monitoring for Party committees and people's committees
 chitieu keeps the units tree, terms, indicators, targets and reported figures of
 Vietnamese Party committees and people's committees, evaluates them (met, exceeded,
 roll-up, ranks) and serves a web application and a JSON API.  This package runs
 chitieu serve as a sandboxed systemd service on a SQLite database in /var/lib/chitieu.
CONTROL
echo /etc/chitieu/chitieu.conf >"$root/DEBIAN/conffiles"
(cd "$root" && find . -type f ! -path './DEBIAN/*' | sed 's|^\./||' | sort | xargs md5sum) >"$root/DEBIAN/md5sums"
mkdir -p "$out"
deb=$out/chitieu_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
