#!/usr/bin/env bash
# The dependencies between the programs and libraries that must not come back (see the
# "Libraries and programs" section of docs/architecture.md):
#
#   - no file under src/ includes a header of backend/ (the clients and the shared libraries
#     build without the daemon's sources);
#   - rewindd does not link Qt Quick or Qt QML, and links no code of rewind_client (the
#     dashboard's core): its PDF reports come from rewind_report;
#   - rewindctl does not link Qt Gui, nor rewind_client, rewind_report or rewind_charts: the
#     daemon draws its PDFs;
#   - the orchestrator (backend/orchestrator) includes no header of the SQL store, the event hub,
#     the HTTP client or QtSql: it reaches them through its ports (ports.h, events::Sink); and
#     the plan machine (planmachine.*) includes nothing but common/ and Qt Core;
#   - yaml-cpp stays in the configuration loader: no file of backend/ or src/ but
#     backend/config/confignode.cpp includes it (everything past the loader reads ConfigNodes).
#
# rewind_client is a static library, so "links no code of it" is checked on the binaries: no
# global symbol that an object of librewind_client.a defines (functions, data; not the inline
# and template code every user emits as weak symbols) is defined in rewindd or rewindctl. The
# link graph CMake computed (the targets each program links, directly or not) is checked too.
#
# usage: check-dependencies.sh SOURCE_DIR REWINDD REWINDCTL LIBREWIND_CLIENT.A \
#            REWINDD_LINKS REWINDCTL_LINKS        (the last two: targets separated by commas)
set -uo pipefail

if [ $# -ne 6 ]; then
    sed -n '2,20s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
source_dir=$1 rewindd=$2 rewindctl=$3 client_lib=$4 rewindd_links=$5 rewindctl_links=$6
failures=0
fail()
{
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

for tool in readelf nm; do
    command -v "$tool" >/dev/null || { echo "check-dependencies: $tool is missing" >&2; exit 2; }
done
for file in "$rewindd" "$rewindctl" "$client_lib"; do
    [ -f "$file" ] || { echo "check-dependencies: $file is not built" >&2; exit 2; }
done

# 1. Includes. A quoted or angled include resolves next to the including file, then under src/
#    (the include root of every library there); one that resolves to neither but to a file
#    under backend/ is a backend header.
checked=0
while IFS= read -r -d '' file; do
    dir=$(dirname "$file")
    while IFS= read -r line; do
        header=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' \
            <<<"$line")
        checked=$((checked + 1))
        if [ -f "$dir/$header" ]; then
            resolved=$(realpath "$dir/$header")
        elif [ -f "$source_dir/src/$header" ]; then
            resolved=$(realpath "$source_dir/src/$header")
        elif [ -f "$source_dir/backend/$header" ]; then
            resolved=$(realpath "$source_dir/backend/$header")
        else
            continue # Qt, the C++ library, generated files
        fi
        case "$resolved" in
        "$(realpath "$source_dir/backend")"/*)
            fail "${file#"$source_dir"/} includes the backend header ${resolved#"$source_dir"/}" ;;
        esac
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$file")
done < <(find "$source_dir/src" -type f \( -name '*.h' -o -name '*.cpp' \) -print0)
[ "$checked" -gt 0 ] || fail "no include found under $source_dir/src"

# 2. The shared libraries each program needs (readelf: its NEEDED entries).
needed()
{
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
rewindd_needed=$(needed "$rewindd")
rewindctl_needed=$(needed "$rewindctl")
grep -q '^libQt6Core' <<<"$rewindd_needed" || fail "readelf finds no NEEDED libQt6Core in rewindd"
grep -q '^libQt6Core' <<<"$rewindctl_needed" ||
    fail "readelf finds no NEEDED libQt6Core in rewindctl"
for lib in $(grep -E '^libQt6(Quick|Qml)' <<<"$rewindd_needed"); do
    fail "rewindd needs $lib"
done
for lib in $(grep -E '^libQt6(Gui|Widgets|Quick|Qml)' <<<"$rewindctl_needed"); do
    fail "rewindctl needs $lib"
done

# 3. The link graph: the targets each program links.
has_target()
{
    grep -qx -- "$2" < <(tr ',' '\n' <<<"$1")
}
has_target "$rewindd_links" rewind_daemon || fail "the link graph of rewindd lacks rewind_daemon"
has_target "$rewindctl_links" rewind_common || fail "the link graph of rewindctl lacks rewind_common"
for target in rewind_client rewind_app Qt6::Quick Qt6::Qml; do
    has_target "$rewindd_links" "$target" && fail "rewindd links $target"
done
for target in rewind_client rewind_app rewind_report rewind_charts Qt6::Gui; do
    has_target "$rewindctl_links" "$target" && fail "rewindctl links $target"
done

# 4. No code of rewind_client in either program: the strong global symbols (text, data, bss,
#    read-only data) its objects define, against those each program defines.
strong_symbols()
{
    nm --defined-only --extern-only "$1" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
        sort -u
}
client_symbols=$(strong_symbols "$client_lib")
[ -n "$client_symbols" ] || fail "nm finds no symbol defined in $client_lib"
for program in "$rewindd" "$rewindctl"; do
    shared=$(comm -12 <(echo "$client_symbols") <(strong_symbols "$program"))
    if [ -n "$shared" ]; then
        fail "$(basename "$program") contains code of rewind_client: $(wc -l <<<"$shared")" \
            "symbols, such as $(head -n 3 <<<"$shared" | c++filt | paste -sd ' ')"
    fi
done

# 5. The orchestrator's ports.
for file in "$source_dir"/backend/orchestrator/*.h "$source_dir"/backend/orchestrator/*.cpp \
    "$source_dir"/backend/orchestrator/strategies/*/*; do
    while IFS= read -r include; do
        fail "${file#"$source_dir"/} includes ${include#\#include }, which the orchestrator reaches through a port"
    done < <(grep -oE '#include [<"](store/[^>"]*|events/eventhub\.h|http/[^>"]*|QSql[A-Za-z]*)[>"]' "$file")
done
for file in "$source_dir"/backend/orchestrator/planmachine.*; do
    [ -f "$file" ] || fail "${file#"$source_dir"/} is missing"
    while IFS= read -r include; do
        fail "${file#"$source_dir"/} includes ${include#\#include }: the plan machine is pure"
    done < <(grep -oE '#include "[^"]*"' "$file" | grep -vE '"(common/[^"]*|planmachine\.h)"')
done

# 6. yaml-cpp past the loader.
loader_reads_yaml=0
while IFS= read -r -d '' file; do
    grep -qE '#include [<"]yaml-cpp/' "$file" || continue
    if [ "${file#"$source_dir"/}" = backend/config/confignode.cpp ]; then
        loader_reads_yaml=1
    else
        fail "${file#"$source_dir"/} includes yaml-cpp, which only the configuration loader may read"
    fi
done < <(find "$source_dir/backend" "$source_dir/src" \( -name '*.h' -o -name '*.cpp' \) -print0)
[ "$loader_reads_yaml" -eq 1 ] || fail "backend/config/confignode.cpp does not include yaml-cpp"

if [ "$failures" -gt 0 ]; then
    echo "check-dependencies: $failures failed" >&2
    exit 1
fi
echo "check-dependencies: $checked includes under src/, rewindd and rewindctl (NEEDED, link" \
    "graph, symbols of rewind_client) as they should be"
