#!/usr/bin/env bash
# Installs guide for the current user: binaries, bundled sessions, schema and systemd units.
#   systemd/install.sh              build in release and install (idempotent)
#   systemd/install.sh --uninstall  remove what the install put there (history is kept)
# PREFIX (default ~/.local) sets where bin/ and share/ go. GUIDE_INSTALL_BIN_DIR, if set,
# installs the guided and guidectl already built there instead of building them (the
# tests install the build they run against this way; users leave it unset).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${PREFIX:-$HOME/.local}
bindir=$prefix/bin
sessiondir=$prefix/share/guide/sessions
unitdir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user

have_user_manager() { systemctl --user show-environment >/dev/null 2>&1; }

if [ "${1:-}" = "--uninstall" ]; then
    if have_user_manager; then
        systemctl --user disable --now guided.socket guided.service >/dev/null 2>&1 || true
        # A unit that failed (a crash, a start limit) stays listed as failed until reset.
        systemctl --user reset-failed guided.service guided.socket >/dev/null 2>&1 || true
    fi
    rm -f "$bindir/guided" "$bindir/guidectl" "$unitdir/guided.service" "$unitdir/guided.socket"
    rm -rf "$prefix/share/guide"
    have_user_manager && systemctl --user daemon-reload || true
    echo "guide uninstalled (history in ${XDG_STATE_HOME:-$HOME/.local/state}/guide is kept)"
    exit 0
fi
if [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 64
fi

if [ -n "${GUIDE_INSTALL_BIN_DIR:-}" ]; then
    bin=$GUIDE_INSTALL_BIN_DIR
    for exe in guided guidectl; do
        [ -x "$bin/$exe" ] || { echo "$0: GUIDE_INSTALL_BIN_DIR=$bin has no executable $exe" >&2; exit 66; }
    done
else
    bin=.build/installed
    systemd/build-release.sh "$bin"
fi

install -d -m 0755 "$bindir" "$sessiondir" "$unitdir"
install -m 0755 "$bin/guided" "$bin/guidectl" "$bindir/"
install -m 0644 Sessions/*.json "$sessiondir/"
# The units point at the installed daemon.
sed "s|^ExecStart=.*|ExecStart=$bindir/guided|" systemd/guided.service >"$unitdir/guided.service"
install -m 0644 systemd/guided.socket "$unitdir/guided.socket"
echo "installed guided and guidectl in $bindir, sessions in $sessiondir, units in $unitdir"

if have_user_manager; then
    systemctl --user daemon-reload
    # The socket starts guided on first use; the service also starts at login
    # (default.target), so that scheduled reminders fire without a first command.
    systemctl --user enable --now guided.socket
    systemctl --user enable guided.service
    echo "guided.socket and guided.service are enabled: 'guidectl start cooldown' starts the daemon on first use, and it starts at login"
else
    echo "no systemd user manager is running here; when one is, run:"
    echo "  systemctl --user daemon-reload && systemctl --user enable --now guided.socket && systemctl --user enable guided.service"
fi
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: $bindir is not on your PATH" ;; esac
