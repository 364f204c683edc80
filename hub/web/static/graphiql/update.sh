#!/usr/bin/env bash
# Re-fetches the GraphiQL page's third-party files from the npm registry into this folder: the minified UMD builds
# the hub serves under /static/graphiql/, with their licences and SHA-384 sums. For a version bump, change the
# versions below (or pass them in the environment), run this script, check the page in a browser
# (tests/hub/web/test_graphiql_browser.py does), and note the new versions in README.md here and in CHANGES.md.
set -euo pipefail
cd "$(dirname "$0")"

GRAPHIQL_VERSION=${GRAPHIQL_VERSION:-3.8.3}
EXPLORER_VERSION=${EXPLORER_VERSION:-1.0.2}
REACT_VERSION=${REACT_VERSION:-18.2.0}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --legacy-peer-deps: only the prebuilt files are wanted, not a consistent dependency tree.
npm install --prefix "$work" --no-audit --no-fund --no-save --legacy-peer-deps --ignore-scripts \
  "graphiql@$GRAPHIQL_VERSION" "@graphiql/plugin-explorer@$EXPLORER_VERSION" \
  "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null
modules="$work/node_modules"

cp "$modules/react/umd/react.production.min.js" react.production.min.js
cp "$modules/react-dom/umd/react-dom.production.min.js" react-dom.production.min.js
cp "$modules/graphiql/graphiql.min.js" graphiql.min.js
cp "$modules/graphiql/graphiql.min.css" graphiql.min.css
cp "$modules/@graphiql/plugin-explorer/dist/index.umd.js" plugin-explorer.umd.js
cp "$modules/@graphiql/plugin-explorer/dist/style.css" plugin-explorer.css
cp "$modules/react/LICENSE" LICENSE-react
cp "$modules/graphiql/LICENSE" LICENSE-graphiql
# @graphiql/plugin-explorer ships no LICENSE file: it comes from the graphiql repository, under the same MIT licence
# (its package.json says "license": "MIT"); LICENSE-graphiql covers it.
grep -q '"license": "MIT"' "$modules/@graphiql/plugin-explorer/package.json"

# The served files must not ask for anything else: a source map reference would send a browser's developer tools
# to a file that is not here.
for file in *.js *.css; do
  sed -i -e '/^\/\/# sourceMappingURL=/d' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$file"
done

cat >VERSIONS <<VERSIONS
graphiql $GRAPHIQL_VERSION
@graphiql/plugin-explorer $EXPLORER_VERSION
react $REACT_VERSION
react-dom $REACT_VERSION
VERSIONS
sha384sum -- *.js *.css >SHA384SUMS
echo "GraphiQL $GRAPHIQL_VERSION, explorer $EXPLORER_VERSION, React $REACT_VERSION copied into $(pwd)"
