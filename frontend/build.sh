#!/usr/bin/env bash
# Builds the GOV.UK Frontend assets into static/govuk/ (committed output).
#
#   bash frontend/build.sh
#
# Needs Node 20+ and npm; packages come from the npm registry only (npm ci,
# pinned by package-lock.json). Nothing is fetched from a CDN.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$FRONTEND_DIR/.." && pwd)"
OUT_DIR="$ROOT_DIR/static/govuk"
GOVUK_DIST="$FRONTEND_DIR/node_modules/govuk-frontend/dist/govuk"

fail() {
  echo "build.sh: ERROR: $*" >&2
  exit 1
}

cd "$FRONTEND_DIR"

# 1. Install exactly what package-lock.json says. Install scripts are not
#    needed (sass is pure JS; its optional @parcel/watcher is only for --watch).
npm ci --ignore-scripts --no-audit --no-fund

GOVUK_VERSION="$(node -p "require('./node_modules/govuk-frontend/package.json').version")"
case "$GOVUK_VERSION" in
  6.*) ;;
  *) fail "expected govuk-frontend 6.x, found $GOVUK_VERSION" ;;
esac

# 2. Start from a clean output directory (everything in it is generated).
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR/assets"

# 3. CSS: compile our entry file (which @uses govuk-frontend) - compressed,
#    no source map.
./node_modules/.bin/sass \
  --load-path=node_modules \
  --style=compressed \
  --no-source-map \
  --fatal-deprecation=import \
  src/app.scss "$OUT_DIR/govuk-frontend.min.css"

# 4. JS: the ES module bundle, minus its sourceMappingURL comment (the .map is
#    not shipped and ManifestStaticFilesStorage fails on a missing .map).
sed -E 's#//[#@] sourceMappingURL=[^[:space:]]*##' \
  "$GOVUK_DIST/govuk-frontend.min.js" > "$OUT_DIR/govuk-frontend.min.js"

# 5. Assets. No fonts (Arial only). GOV.UK Frontend's images - favicon.ico,
#    favicon.svg, govuk-icon-*.png, govuk-icon-mask.svg, govuk-crest.svg and
#    govuk-opengraph-image.png - are all the GOV.UK crown/logo, which this
#    service must not use, so none is copied. Our own neutral favicon, touch
#    icons and manifest.json are generated instead.
node scripts/make-icons.mjs "$OUT_DIR/assets"

# 6. Record the version actually installed.
echo "$GOVUK_VERSION" > "$OUT_DIR/VERSION"

# 7. Checks on the output.
CSS="$OUT_DIR/govuk-frontend.min.css"
JS="$OUT_DIR/govuk-frontend.min.js"

if grep -qiE 'GDS Transport|\.woff2?' "$CSS"; then
  fail "CSS references GDS Transport / web fonts"
fi
if grep -qiE 'url\(\s*["'\'']?(https?:)?//' "$CSS"; then
  fail "CSS references an external (http/https or protocol-relative) URL"
fi
if grep -qiE '@import' "$CSS"; then
  fail "CSS contains @import"
fi
if grep -q 'sourceMappingURL' "$CSS" "$JS"; then
  fail "sourceMappingURL left in built CSS/JS"
fi
if grep -qi 'crest\|crown' <(find "$OUT_DIR" -type f); then
  fail "crown/crest file in $OUT_DIR"
fi

# Every url() in the CSS must point at a file that exists (relative to the CSS).
while IFS= read -r ref; do
  [ -n "$ref" ] || continue
  path="${ref#url(}"
  path="${path%)}"
  path="${path//\"/}"
  path="${path//\'/}"
  case "$path" in
    data:*) continue ;;
  esac
  path="${path%%[?#]*}"
  [ -f "$OUT_DIR/$path" ] || fail "CSS url() points at missing file: $path"
done < <(grep -oE 'url\([^)]*\)' "$CSS" | sort -u)

# Every icon in manifest.json must exist.
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  for (const i of m.icons) {
    if (!fs.existsSync(path.join(dir, i.src))) { console.error("missing " + i.src); process.exit(1); }
  }
' "$OUT_DIR/assets" || fail "manifest.json references a missing icon"

CSS_BYTES=$(wc -c < "$CSS")
[ "$CSS_BYTES" -lt 204800 ] || fail "CSS is $CSS_BYTES bytes (limit 200 KB)"

grep -q 'initAll' "$JS" || fail "govuk-frontend.min.js does not export initAll"

echo "Built GOV.UK Frontend $GOVUK_VERSION into ${OUT_DIR#"$ROOT_DIR"/} (CSS $CSS_BYTES bytes):"
(cd "$ROOT_DIR" && find static/govuk -type f | sort)
