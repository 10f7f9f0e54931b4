#!/bin/sh
# Install (or remove) the Relais bundle on a Linux workstation: the program, the `relais` and
# `relais-admin` commands, the menu entry, the icons and the AppStream metainfo.
#
#   sudo ./install.sh              for every user: /opt/relais, /usr/local/{bin,share}
#   ./install.sh --user            for the current user only: ~/.local/{lib/relais,bin,share}
#   sudo ./install.sh --uninstall  (or ./install.sh --user --uninstall) removes them again;
#                                  the users' data, logs and backups stay where they are.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
app_id=fr.relais_msp.Relais
scope=system
action=install
for arg in "$@"; do
    case "$arg" in
        --user) scope=user ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh : option inconnue : $arg" >&2; exit 2 ;;
    esac
done
if [ "$scope" = user ]; then
    prefix="$HOME/.local"; target="$prefix/lib/relais"
else
    prefix=/usr/local; target=/opt/relais
    if [ "$(id -u)" -ne 0 ]; then
        echo "install.sh : lancez-le en administrateur (sudo), ou avec --user." >&2; exit 1
    fi
fi
bin="$prefix/bin"; share="$prefix/share"
sizes="16 24 32 48 64 128 256"

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$share/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
    rm -rf "$target"
    rm -f "$bin/relais" "$bin/relais-admin" "$share/applications/$app_id.desktop" \
        "$share/metainfo/$app_id.metainfo.xml" "$share/icons/hicolor/scalable/apps/$app_id.svg"
    for size in $sizes; do rm -f "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"; done
    refresh
    echo "Relais a été désinstallé ($target). Les données des utilisateurs sont conservées."
    exit 0
fi

[ -x "$here/relais" ] || { echo "install.sh : lancez-le depuis le dossier de Relais." >&2; exit 1; }
if [ "$here" != "$target" ]; then
    rm -rf "$target"
    mkdir -p "$target"
    cp -a "$here/." "$target/"
fi
mkdir -p "$bin" "$share/applications" "$share/metainfo" "$share/icons/hicolor/scalable/apps"
ln -sf "$target/relais" "$bin/relais"
ln -sf "$target/relais-admin" "$bin/relais-admin"
sed "s|^Exec=relais\$|Exec=$target/relais|" "$target/share/$app_id.desktop" \
    > "$share/applications/$app_id.desktop"
cp "$target/share/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
icons="$target/_internal/resources/icons"
cp "$icons/relais.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"
for size in $sizes; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$icons/relais-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
refresh
echo "Relais $("$target/relais" --version | cut -d' ' -f2) est installé dans $target."
echo "Vérification : $bin/relais --self-test"
