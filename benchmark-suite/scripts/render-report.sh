#!/usr/bin/env bash
# Renders a run's HTML report to a PNG with headless Chromium, to check that it opens and shows its charts.
#
#   benchmark-suite/scripts/render-report.sh results/<stamp> [out.png] [height]
#
# Takes the run folder (or the .html file itself); writes out.png (default /tmp/queuebench-report.png), 1400 px
# wide and [height] px tall (default 3000). Needs chromium (Debian: apt-get install -y chromium) or google-chrome.
# Exits 1 when the report has no inline chart or the browser writes no image.
set -euo pipefail

target="${1:?usage: render-report.sh <run folder or report .html> [out.png] [height]}"
out="${2:-/tmp/queuebench-report.png}"
height="${3:-3000}"

if [[ -d "$target" ]]; then
  html="$(ls "$target"/benchmark_report_*.html 2>/dev/null | head -n 1 || true)"
else
  html="$target"
fi
[[ -n "$html" && -f "$html" ]] || { echo "no benchmark_report_*.html in $target" >&2; exit 1; }
charts="$(grep -c '<figure class="chart"><svg' "$html" || true)"
[[ "$charts" -gt 0 ]] || { echo "$html has no inline chart" >&2; exit 1; }

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[[ -n "$browser" ]] || { echo "no chromium on PATH (Debian: apt-get install -y chromium)" >&2; exit 1; }

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$out" --window-size="1400,$height" "file://$(realpath "$html")" >/dev/null 2>&1 || true
[[ -s "$out" ]] || { echo "chromium wrote no image for $html" >&2; exit 1; }
echo "$html: $charts inline charts, rendered to $out"
