#!/usr/bin/env bash
# Builds Qt 6.4.2's qtbase (Core, Gui, Widgets, Network) for WebAssembly from Debian's source
# package, with Debian's emscripten, into a versioned prefix outside the repository:
#   ${REWIND_WASM_QT:-$HOME/.cache/rewind/qt-6.4.2-wasm}
# Applies Rewind's patches (packaging/wasm/patches: fixes of Qt's WebAssembly port). Does nothing
# when that prefix is complete and built from the same patches. About 15 minutes on 2 cores the
# first time.
# Only qtbase: the 6.4.2 sources of Qt Quick, Qt Charts and Qt WebSockets are not in Debian's
# archive, so the browser build is a Qt Widgets shell over the dashboard's core (src/client).
set -euo pipefail

version=6.4.2
prefix="${REWIND_WASM_QT:-$HOME/.cache/rewind/qt-$version-wasm}"
work="${REWIND_WASM_WORK:-$HOME/.cache/rewind/qt-$version-wasm-build}"
say() { printf 'build-qt: %s\n' "$*"; }

# Qt's CMake (when building Qt and every app) expects an emsdk layout around Debian's
# emscripten: $prefix/emsdk, which the `wasm` CMake preset gives as EMSDK. Cheap; always checked.
make_emsdk() {
    local emsdk="$prefix/emsdk"
    mkdir -p "$emsdk/upstream/emscripten"
    for entry in /usr/share/emscripten/*; do
        ln -sfn "$entry" "$emsdk/upstream/emscripten/$(basename "$entry")"
    done
    # Debian's wrapper runs the tool named like the link (emcc, em++) from /usr/share/emscripten.
    for tool in emcc em++; do
        ln -sfn /usr/share/emscripten/wrapper "$emsdk/upstream/emscripten/$tool"
    done
    # Qt reads the quoted path as a suffix of $EMSDK, in emsdk's own form.
    printf "EMSCRIPTEN_ROOT = emsdk_path + '/upstream/emscripten'\n" >"$emsdk/.emscripten"
    export EMSDK="$emsdk"
}

# What the prefix is built from: the version and Rewind's patches to it (packaging/wasm/patches).
# A prefix built from anything else is built again (incrementally when its work tree is kept).
patches_dir="$(cd "$(dirname "$0")" && pwd)/patches"
recipe="qt $version; patches $(cat "$patches_dir"/*.patch | sha256sum | cut -c1-16)"
if [ -f "$prefix/.complete" ] && [ "$(cat "$prefix/.complete")" = "$recipe" ]; then
    make_emsdk
    say "Qt $version for WebAssembly is in $prefix"
    exit 0
fi

sudo_if() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's emscripten and the host Qt the cross build needs.
missing=()
for p in emscripten dpkg-dev patch qt6-base-dev qt6-base-dev-tools cmake ninja-build; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    sudo_if apt-get update -qq
    sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# The source package needs a deb-src entry for the same archive as the deb one.
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
    ! grep -qs '^deb-src' /etc/apt/sources.list; then
    say "adding a deb-src entry for Debian's archive"
    sudo_if sh -c "sed -n '/^Types: deb$/,/^$/p' /etc/apt/sources.list.d/debian.sources |
        sed 's/^Types: deb$/Types: deb-src/' > /etc/apt/sources.list.d/rewind-deb-src.sources"
    sudo_if apt-get update -qq
fi

mkdir -p "$work"
cd "$work"
src=$(find . -maxdepth 1 -type d -name 'qt6-base-*' | head -n 1)
if [ -z "$src" ]; then
    say "fetching Debian's qt6-base source"
    apt-get source -qq qt6-base >/dev/null
    src=$(find . -maxdepth 1 -type d -name 'qt6-base-*' | head -n 1)
fi
src="$work/${src#./}"
# Rewind's fixes to Qt for WebAssembly, each applied once.
for p in "$patches_dir"/*.patch; do
    if patch -d "$src" -p1 -R --dry-run -s -f <"$p" >/dev/null 2>&1; then
        continue
    fi
    say "applying $(basename "$p")"
    patch -d "$src" -p1 -s -f <"$p"
done
make_emsdk

export NODE_PATH=/usr/share/nodejs

build="$work/build"
mkdir -p "$build"
cd "$build"
if [ ! -f build.ninja ]; then
    say "configuring (about 3 minutes)"
    "$src/configure" -qt-host-path /usr -platform wasm-emscripten -prefix "$prefix" -release \
        -nomake examples -nomake tests -no-feature-sql -no-feature-printsupport \
        -no-feature-testlib -- \
        -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
        -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake \
        >"$work/configure.log" 2>&1 || true
    # configure can end non-zero after a complete configuration (it warns that emscripten 3.1.6
    # is older than the 3.1.14 it recommends); what counts is the generated build.
    if [ ! -f build.ninja ]; then
        tail -n 40 "$work/configure.log"
        exit 1
    fi
fi
say "building (about 11 minutes on 2 cores; log: $work/build.log)"
# The first build re-runs CMake, which can end non-zero for the same version warning; a second
# pass then finds the work done and tells whether anything really failed.
cmake --build . --parallel "$(nproc)" >"$work/build.log" 2>&1 ||
    cmake --build . --parallel "$(nproc)" >>"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; exit 1; }
say "installing into $prefix"
cmake --install . >"$work/install.log" 2>&1 || { tail -n 40 "$work/install.log"; exit 1; }
printf '%s' "$recipe" >"$prefix/.complete"
say "Qt $version for WebAssembly is in $prefix"
