# Shared by the scripts of tests/windows: find the tools, and give each run a WINEPREFIX of its
# own (docs/browser-behaviour.md §7: the first start creates it, ~7 s) so no test touches another's stores.

epos_require_tools() {
    missing=""
    for tool in "$@" wine wineserver; do
        command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
    done
    if [ -n "$missing" ]; then
        echo "FAIL: missing tools:$missing (install g++-mingw-w64-x86-64 wine64 msitools wixl openssl)" >&2
        exit 1
    fi
    EPOS_WINE=$(command -v wine)
    EPOS_WINESERVER=$(command -v wineserver)
}

epos_wine_prefix() {  # dir
    export WINEPREFIX="$1"
    export WINEDEBUG=-all
    # No Mono/Gecko download prompts while the prefix is created; no display needed.
    export WINEDLLOVERRIDES="mscoree,mshtml="
    unset DISPLAY WAYLAND_DISPLAY
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        "$EPOS_WINE" wineboot --init >/dev/null 2>&1 || true
        "$EPOS_WINESERVER" -w
        if [ ! -f "$WINEPREFIX/system.reg" ]; then
            echo "FAIL: wine could not create its prefix in $WINEPREFIX" >&2
            exit 1
        fi
    fi
}

# Starts wine's services (services.exe, rpcss, ...) with stdio detached, before anything that
# talks over a pipe: started by the first program of a session, they would inherit its stdio,
# and a native messaging reader would never see EOF (docs/browser-behaviour.md §7).
epos_wine_services() {
    "$EPOS_WINE" cmd /c exit </dev/null >/dev/null 2>&1 || true
}
