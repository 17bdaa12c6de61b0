#!/usr/bin/env bash
# The Debian packages the app and the test suite need, installed by `make install` when missing.
#
# Each package is probed by what the project uses from it (a command or a font), so a machine
# that has the tool some other way passes too. When something is missing:
#   - as root with apt-get: `apt-get update`, then `apt-get install --no-install-recommends` of
#     exactly the missing packages;
#   - otherwise: one line naming them, and exit status 1.
# SYSTEM_PACKAGES_DRY_RUN=1 prints the apt-get commands instead of running them.
set -euo pipefail

missing=()
need_command() { # need_command <command> <package>
  command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}

need_command chromium chromium                   # browser tests (Playwright drives Debian's build)
need_command chromedriver chromium-driver        # WebDriver for the same browser
need_command pdftotext poppler-utils             # PDF tests read the text and pixels back
need_command pdftoppm poppler-utils
need_command java default-jre-headless           # the Nu HTML checker (vnu.jar)
need_command npm npm                             # axe-core and vnu-jar (package.json)
need_command nginx nginx                         # the load-balanced cluster check and benchmarks
need_command wrk wrk                             # load benchmarks
need_command curl curl                           # the README's API gate snippet, run in a test
need_command jq jq

# The PDF's fonts (Latin/Greek/Cyrillic, CJK, emoji), as fontconfig lists them.
if command -v fc-list >/dev/null 2>&1; then
  fonts=$(fc-list 2>/dev/null || true)
else
  fonts=""
  missing+=(fontconfig)
fi
need_font() { # need_font <pattern in fc-list's output> <package>
  grep -qi -- "$1" <<<"$fonts" || missing+=("$2")
}
need_font "NotoSans-Regular" fonts-noto-core
need_font "Noto Sans CJK" fonts-noto-cjk
need_font "Noto Color Emoji" fonts-noto-color-emoji

[ ${#missing[@]} -eq 0 ] && exit 0
# One package may be probed twice (poppler-utils); name each once, in order.
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${packages[*]} (install them as root: apt-get install ${packages[*]})" >&2
  exit 1
fi

echo "== Installing Debian packages: ${packages[*]} =="
run() {
  if [ "${SYSTEM_PACKAGES_DRY_RUN:-}" = 1 ]; then echo "would run: $*"; else "$@"; fi
}
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
