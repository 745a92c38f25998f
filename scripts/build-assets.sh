#!/usr/bin/env bash
# Builds the web server's front-end assets from GOV.UK Frontend into crates/web/assets/dist/,
# which the server serves under /assets/. Idempotent; quick when nothing has changed.
#   bash scripts/build-assets.sh
# Output (never committed; ignored by git along with node_modules):
#   crates/web/assets/dist/homeward.css             frontend/homeward.scss, compiled
#   crates/web/assets/dist/govuk-frontend.min.js    govuk-frontend's ES module bundle
#   crates/web/assets/dist/js-enabled.js            marks <body> for GOV.UK Frontend's styles
#   crates/web/assets/dist/govuk-init.js            starts GOV.UK Frontend's components
#   crates/web/assets/dist/phone.js                 the phone page's outbox (its service worker,
#                                                   frontend/phone-sw.js, is built into the server)
# Every script is a file: the content security policy allows no inline script.
#   crates/web/assets/dist/images/                  govuk-frontend's images, minus GOV.UK branding
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

# sass (and chokidar, which it uses) need Node.js 20.19 or newer; see package.json "engines".
required_node=20.19

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    # On a fresh Debian machine, install Node.js and npm from the Debian archive.
    # Debian 13 (trixie) ships Node.js 20.19, which is enough; Debian 12 (bookworm) ships 18,
    # which is too old: there, install Node.js 20 or newer from NodeSource instead.
    say "Installing Node.js and npm with apt-get"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  local version
  version=$(node -p 'process.versions.node')
  if ! node -e '
    const [want, have] = process.argv.slice(1).map((v) => v.split(".").map(Number));
    process.exit(have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1]) ? 0 : 1);
  ' "$required_node" "$version"; then
    say "Node.js $version is too old: the asset build needs $required_node or newer"
    exit 1
  fi
}

# npm ci writes node_modules/.package-lock.json; when it is newer than package.json and
# package-lock.json, node_modules is up to date and npm ci is skipped.
ensure_packages() {
  local stamp=node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ] && [ ! package.json -nt "$stamp" ]; then
    return
  fi
  say "Installing npm packages (npm ci)"
  # --ignore-scripts: no package here needs an install script. The only one with a script is
  # @parcel/watcher (optional, used by sass --watch alone), which would try to build from source.
  npm ci --no-audit --no-fund --ignore-scripts
}

ensure_node
ensure_packages

govuk=node_modules/govuk-frontend/dist/govuk
dist=crates/web/assets/dist
mkdir -p "$dist"

say "Compiling frontend/homeward.scss"
# Compiled to a temporary file first, so a running server never serves a half-written file.
node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
  frontend/homeward.scss "$dist/homeward.css.tmp"
mv -f "$dist/homeward.css.tmp" "$dist/homeward.css"

cp -f "$govuk/govuk-frontend.min.js" "$dist/govuk-frontend.min.js"
# Homeward's own scripts are plain files: copied as they are.
cp -f frontend/js-enabled.js frontend/govuk-init.js frontend/phone.js "$dist/"

# Images, without GOV.UK branding: Homeward is a council service outside gov.uk, so it may not
# use the crown, the royal crest or the GOV.UK logotype. In govuk-frontend 6 every image is one
# of those (favicon.ico and favicon.svg are the crown, govuk-icon-* the crown,
# govuk-crest.svg the crest, govuk-opengraph-image.png the GOV.UK logotype), so none is copied
# today; an unbranded image in a later version would be. The fonts (GDS Transport) and
# manifest.json (which lists the crown icons) are never copied.
rm -rf "$dist/images"
mkdir -p "$dist/images"
copied=0
skipped=0
for image in "$govuk"/assets/images/*; do
  [ -f "$image" ] || continue
  case "$(basename "$image")" in
    favicon.* | govuk-* | *crown* | *crest* | *logo*) skipped=$((skipped + 1)) ;;
    *) cp -f "$image" "$dist/images/" && copied=$((copied + 1)) ;;
  esac
done

say "Assets in $dist: homeward.css, govuk-frontend.min.js, js-enabled.js, govuk-init.js, phone.js, images ($copied copied, $skipped GOV.UK-branded left out)"
