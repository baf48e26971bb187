#!/usr/bin/env bash
# The Debian package, as CI checks it: `cpack -G DEB` on the built tree, the control fields (dependencies from
# dpkg-shlibdeps plus the ones it cannot see), the files it installs, desktop-file-validate and
# `appstreamcli validate --no-net` on what it installs, lintian with no error, and the binary unpacked into a scratch
# root (`dpkg -x`) answering --version with Qt from the system (LD_LIBRARY_PATH unset), loading its German, and
# showing its window on Xvfb with the X11 class the .desktop file names.
# Usage: check-deb.sh BUILD_DIR VERSION DESKTOP_ID
set -euo pipefail
build=$1 version=$2 id=$3

work=$(mktemp -d)
gui=
xvfb=
trap '[ -z "$gui" ] || kill "$gui" 2>/dev/null; [ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli lintian Xvfb xwininfo; do
  command -v "$tool" >/dev/null || fail "$tool not found: run installer/debian-deps.sh"
done

# Its own output folder: the build tree's _CPack_Packages is left alone, and two runs never share one.
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack -G DEB failed (is the whole tree built? cmake --build $build)"
fi
deb="$work/out/gpudeck_${version}_amd64.deb"
[ -f "$deb" ] || { ls -l "$work/out" >&2; fail "no $deb"; }
echo "== $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

control=$(dpkg-deb --field "$deb")
echo "$control" | grep -E '^(Package|Version|Architecture|Depends|Recommends|Installed-Size):'
depends=$(dpkg-deb --field "$deb" Depends)
recommends=$(dpkg-deb --field "$deb" Recommends)
# From dpkg-shlibdeps (versioned, as only it writes them) and from us.
for dep in 'libc6 (>=' 'libqt6core6 (>=' 'libqt6widgets6 (>=' 'libssh-4 (>=' 'openssh-client' 'qt6-qpa-plugins' \
           'libqt6sql6-sqlite' 'libsecret-1-0'; do
  [[ "$depends" == *"$dep"* ]] || fail "Depends lacks '$dep': $depends"
done
for rec in 'gnome-keyring' 'qt6-translations-l10n'; do
  [[ "$recommends" == *"$rec"* ]] || fail "Recommends lacks '$rec': $recommends"
done

root="$work/root"
dpkg -x "$deb" "$root"
files=(
  usr/bin/gpudeck
  "usr/share/applications/$id.desktop"
  "usr/share/metainfo/$id.metainfo.xml"
  "usr/share/icons/hicolor/scalable/apps/$id.svg"
  usr/share/doc/gpudeck/copyright
  usr/share/doc/gpudeck/changelog.gz
  usr/share/man/man1/gpudeck.1.gz
)
for size in 16 22 24 32 48 64 128 256; do
  files+=("usr/share/icons/hicolor/${size}x${size}/apps/$id.png")
done
for f in "${files[@]}"; do
  [ -f "$root/$f" ] || fail "the package does not install /$f"
done
# Each PNG is the size its folder says (the IHDR's width and height).
for size in 16 22 24 32 48 64 128 256; do
  png="$root/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
  dims=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$png")
  [ "$dims" = "${size}x${size}" ] || fail "$png is $dims"
done
echo "== installs: ${#files[@]} files checked"

desktop="$root/usr/share/applications/$id.desktop"
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate: $out"
grep -qx 'Categories=System;Monitor;Qt;' "$desktop" || fail "Categories"
grep -qx 'StartupWMClass=gpudeck' "$desktop" || fail "StartupWMClass"
grep -qx 'TryExec=gpudeck' "$desktop" || fail "TryExec"
echo "== desktop-file-validate: clean"

metainfo="$root/usr/share/metainfo/$id.metainfo.xml"
appstreamcli validate --no-net --explain "$metainfo" || fail "appstreamcli validate --no-net"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "metainfo launchable"
grep -q '<content_rating type="oars-1.1"' "$metainfo" || fail "metainfo OARS rating"
grep -q '<screenshots>' "$metainfo" || fail "metainfo screenshots"
newest=$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("releases/release").get("version"))' "$metainfo")
[ "$newest" = "$version" ] || fail "the metainfo's newest release is $newest, the project is $version: add a <release>"
changelog=$(zcat "$root/usr/share/doc/gpudeck/changelog.gz" | head -n1)
[[ "$changelog" == "gpudeck ($version) "* ]] || fail "installer/changelog begins '$changelog', the project is $version"

# lintian: errors fail; warnings and the rest are shown.
lintian_out=$(lintian --fail-on error --display-info "$deb" 2>&1) || { echo "$lintian_out" >&2; fail "lintian reports errors"; }
echo "== lintian: no errors$( [ -n "$lintian_out" ] && printf '; other tags:\n%s' "$lintian_out")"

# The installed binary, its libraries found by the system (no build tree, no LD_LIBRARY_PATH).
got=$(cd "$work" && env -u LD_LIBRARY_PATH "$root/usr/bin/gpudeck" --version)
[ "$got" = "gpudeck $version" ] || fail "installed gpudeck --version printed '$got'"
missing=$(env -u LD_LIBRARY_PATH ldd "$root/usr/bin/gpudeck" | grep 'not found' || true)
[ -z "$missing" ] || fail "unresolved libraries: $missing"
echo "== installed gpudeck --version: $got"

# The installed binary finds its German (embedded in it, decision 116): started with the window offscreen under
# LANG=de_DE.UTF-8 in an empty home, it logs the language it loaded before any window exists, and is stopped there.
home="$work/home"
mkdir -p "$home"
mkfifo "$work/gui.log"
env -u LD_LIBRARY_PATH -u LC_ALL -u LC_MESSAGES -u LANGUAGE HOME="$home" XDG_CONFIG_HOME="$home/.config" \
  XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" LANG=de_DE.UTF-8 QT_QPA_PLATFORM=offscreen \
  "$root/usr/bin/gpudeck" --data-dir "$work/data" --port 0 >"$work/gui.log" 2>&1 &
gui=$!
language=$(timeout 60 grep -m1 -o 'window language: [a-z]*' <"$work/gui.log" || true)
kill "$gui" 2>/dev/null || true
wait "$gui" 2>/dev/null || true
gui=
[ "$language" = "window language: de" ] || fail "the installed gpudeck under LANG=de_DE.UTF-8 logged '$language'"
echo "== installed gpudeck under LANG=de_DE.UTF-8: $language"

# The window's X11 class is the .desktop file's StartupWMClass (docks and task bars group the window under its menu
# entry by it): the installed binary on a private Xvfb, its top-level window's WM_CLASS as xwininfo lists it.
wmclass=$(sed -n 's/^StartupWMClass=//p' "$desktop")
mkfifo "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/displayfd" >"$work/xvfb.log" 2>&1 &
xvfb=$!
read -r -t 30 display <"$work/displayfd" || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start"; }
env -u LD_LIBRARY_PATH -u LC_ALL -u LC_MESSAGES -u LANGUAGE HOME="$home" XDG_CONFIG_HOME="$home/.config" \
  XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" LANG=C.UTF-8 QT_QPA_PLATFORM=xcb \
  DISPLAY=":$display" "$root/usr/bin/gpudeck" --data-dir "$work/data" --port 0 >"$work/x11.log" 2>&1 &
gui=$!
window=
for _ in $(seq 300); do  # until the window is mapped (at most 30 s), or GPU Deck has exited
  window=$(DISPLAY=":$display" xwininfo -root -tree | grep -m1 '"GPU Deck": (' || true)
  [ -z "$window" ] && kill -0 "$gui" 2>/dev/null || break
  sleep 0.1
done
kill "$gui" 2>/dev/null || true
wait "$gui" 2>/dev/null || true
gui=
kill "$xvfb" 2>/dev/null || true
wait "$xvfb" 2>/dev/null || true
xvfb=
[ -n "$window" ] || { cat "$work/x11.log" >&2; fail "no GPU Deck window appeared on the Xvfb display :$display"; }
[[ "$window" == *"\"GPU Deck\": (\"gpudeck\" \"$wmclass\")"* ]] ||
  fail "the window's WM_CLASS is not (gpudeck, $wmclass), the .desktop's StartupWMClass: $window"
echo "== X11 window: $(echo "$window" | grep -o '"GPU Deck": ([^)]*)'), StartupWMClass=$wmclass"
echo "PASS"
