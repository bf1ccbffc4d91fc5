#!/usr/bin/env bash
# Runs a command with a real Secret Service: when no session bus is present, a private D-Bus session with
# gnome-keyring over a fresh, throwaway keyring folder (so tests never touch a user's real keychain).
# Usage: scripts/with-keyring.sh <command> [args...]
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${TOKENDESK_FORCE_PRIVATE_KEYRING:-}" ] && [ -z "${TOKENDESK_IN_KEYRING:-}" ]; then
  exec "$@"
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is missing. Install the system packages: sudo apt-get install -y dbus-x11 gnome-keyring libsecret-1-dev" >&2
    exit 3
  fi
done
if [ -z "${TOKENDESK_IN_KEYRING:-}" ]; then
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/tokendesk-keyring.XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
  TOKENDESK_IN_KEYRING=1 XDG_DATA_HOME="$keyring_home" dbus-run-session -- "$0" "$@"
  exit $?
fi
# Inside the private bus: start the daemon with a throwaway password (an empty one creates no login collection) so
# the login collection is created unlocked.
eval "$(printf 'throwaway' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
