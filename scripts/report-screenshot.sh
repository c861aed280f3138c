#!/bin/sh
# Screenshot of a training report, for the README:
#   scripts/report-screenshot.sh report.html report.png [width] [height]
# Uses headless Chromium from Debian's packages (apt-get install -y chromium fonts-dejavu-core).
# The report draws its charts inline and loads nothing, so no network is needed.
# A sample page to try it on: REPORT_SAMPLE_OUT=/tmp/sample.html swift test --filter ReportTests
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH] [HEIGHT]  (default 1280 x 4200 CSS pixels: the summary and the segments)" >&2
    exit 2
fi
html=$1
png=$2
width=${3:-1280}
height=${4:-4200}
[ -f "$html" ] || { echo "$0: no such file: $html" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "$0: chromium not found; apt-get install -y chromium" >&2; exit 1; }
case $html in /*) url="file://$html" ;; *) url="file://$(pwd)/$html" ;; esac
case $png in /*) out=$png ;; *) out="$(pwd)/$png" ;; esac
# A throwaway profile, so the run touches no one's browser settings.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "$url" >/dev/null 2>&1
[ -s "$out" ] || { echo "$0: chromium wrote no screenshot to $out" >&2; exit 1; }
echo "$out"
