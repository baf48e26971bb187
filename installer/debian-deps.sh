#!/usr/bin/env bash
# Installs the Debian 12 packages GPU Deck needs to build, run and test.
# Idempotent: only missing packages are installed; nothing happens when all are present.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build ccache g++ pkg-config git clang-format
  # Qt 6.4 and the libraries GPU Deck links
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-websockets-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins libqt6sql6-sqlite libsqlite3-dev
  libqt6opengl6-dev libgl-dev libvulkan-dev
  libssh-dev qtkeychain-qt6-dev libyaml-cpp-dev
  # Qt's own German (and other) translations, qtbase_de.qm: standard buttons and dialogs in the window's language
  qt6-translations-l10n
  # the API's HTTP request parser (the one Qt bundles; QHttpServer 6.4 reads a whole request before a handler
  # can refuse it, so GPU Deck parses at the socket itself)
  libhttp-parser-dev
  # base/AwakeLock hooks the poll of Qt's GLib event dispatcher.
  libglib2.0-dev
  # Debian's QtKeychain dlopen()s libsecret by its unversioned name (libsecret-1.so, shipped only in the -dev
  # package); without it the keychain silently falls back to KWallet and reports "Unknown error".
  libsecret-1-0 libsecret-1-dev
  # run and test: real sshd, tmux, keychain, display server, load generator
  openssh-server openssh-client tmux dbus dbus-x11 gnome-keyring libsecret-tools
  xvfb xauth wrk curl procps python3
  # CI's screenshots (tests/screenshots/take.sh): keys to the window, the screen to PNG, a dark Qt style
  xdotool imagemagick adwaita-qt6
  # Slurm backend tests: a single-node Slurm that tests/support/SlurmCluster configures and starts itself, with
  # its own munged, config and ports. The slurmctld and slurmd services do not start (their units need an
  # /etc/slurm/slurm.conf, which nothing installs); munge's own service may, and the tests leave it alone.
  slurmctld slurmd slurm-client munge
  # the /metrics export is tested by a real Prometheus scraping GPU Deck; tests/bench/metrics_history_bench compares
  # history with it over the same week of samples (backfilled with its promtool)
  prometheus
  # bench only: tests/bench/sync_bench compares the project sync with `rsync -a` over ssh. GPU Deck itself never
  # runs rsync (it syncs over SFTP on its own SSH session)
  rsync
  # the package: `cpack -G DEB` computes its dependencies with dpkg-shlibdeps (dpkg-dev); the package test checks the
  # .desktop, AppStream and autostart files with the freedesktop.org validators and the .deb with lintian
  dpkg-dev desktop-file-utils appstream lintian
  # ... and reads the window's WM_CLASS on an Xvfb display with xwininfo
  x11-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
echo "Installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
