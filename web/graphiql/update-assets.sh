#!/usr/bin/env bash
# Refreshes the vendored GraphiQL, React and ReactDOM files in assets/ from the
# npm registry. Needs npm, node and tar. Run from anywhere:
#
#   bash web/graphiql/update-assets.sh                 # the pinned versions below
#   GRAPHIQL_VERSION=4.1.2 REACT_VERSION=18.3.1 bash web/graphiql/update-assets.sh
#
# GraphiQL 4.1.x is the last line that ships UMD files (graphiql.min.js,
# graphiql.min.css) usable from plain <script> tags; 5.x is ESM-only and needs
# a bundler. React 19 no longer ships UMD files, so React stays on 18.
# After running it, update the versions in assets/README.md, run
# `go test ./web/graphiql/` and look at the page in a browser.
set -euo pipefail

GRAPHIQL_VERSION="${GRAPHIQL_VERSION:-4.1.2}"
REACT_VERSION="${REACT_VERSION:-18.3.1}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
assets="$here/assets"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$scratch"
for pkg in "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION"; do
	name="${pkg%@*}"
	tgz="$(npm pack --silent "$pkg" 2>/dev/null | tail -n 1)"
	mkdir -p "$name"
	tar -xzf "$tgz" -C "$name"
	echo "$pkg $(npm view "$pkg" dist.integrity 2>/dev/null)"
done

for f in graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css \
	react/package/umd/react.production.min.js \
	react-dom/package/umd/react-dom.production.min.js; do
	test -s "$f" || { echo "missing $f: this version has no UMD build" >&2; exit 1; }
done

mkdir -p "$assets/LICENSES"
# The source map is not shipped, so drop the comment that points at it (it would
# only make browser developer tools request a file that is not there).
sed '/^\/\/# sourceMappingURL=/d' graphiql/package/graphiql.min.js >"$assets/graphiql.min.js"
sed '/^\/\*# sourceMappingURL=.*\*\/$/d' graphiql/package/graphiql.min.css >"$assets/graphiql.min.css"
cp react/package/umd/react.production.min.js "$assets/react.production.min.js"
cp react-dom/package/umd/react-dom.production.min.js "$assets/react-dom.production.min.js"
cp graphiql/package/LICENSE "$assets/LICENSES/graphiql.LICENSE.txt"
cp react/package/LICENSE "$assets/LICENSES/react.LICENSE.txt"
cp react-dom/package/LICENSE "$assets/LICENSES/react-dom.LICENSE.txt"

# graphiql.min.js bundles many other npm packages; list them (from the source
# map in the tarball) so their notices can be looked up.
node - "$GRAPHIQL_VERSION" graphiql/package/graphiql.min.js.map >"$assets/LICENSES/graphiql-bundled-packages.txt" <<'EOF'
const [version, mapFile] = process.argv.slice(2);
const map = JSON.parse(require("fs").readFileSync(mapFile, "utf8"));
const names = new Set();
for (const s of map.sources) {
  const m = s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) names.add(m[m.length - 1].replace(/^node_modules\//, ""));
  else {
    const w = s.match(/^\.\.\/\.\.\/([^/]+)\//);
    if (w) names.add("graphiql monorepo: " + w[1]);
  }
}
console.log(`Packages bundled into graphiql@${version} graphiql.min.js, according to its source map.`);
console.log("Each is distributed under its own license, shipped in its npm package; the");
console.log("graphiql monorepo packages are under graphiql.LICENSE.txt.");
console.log("");
for (const n of [...names].sort()) console.log(n);
EOF

cd "$assets"
wc -c graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
