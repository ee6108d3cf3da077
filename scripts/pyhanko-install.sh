#!/usr/bin/env bash
# `npm run pyhanko:install` (and `npm test`): pyHanko, the independent PDF-signature oracle of the signing tests,
# from PyPI into a project-local virtual environment under tools/pyhanko/ (git-ignored). Idempotent: a venv that
# already has the pinned versions is kept. The versions are pinned in package.json (config.pyhanko*).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').config.pyhankoVersion")
cli_version=$(node -p "require('./package.json').config.pyhankoCliVersion")
venv="tools/pyhanko/venv"
stamp="$venv/.installed-$version-$cli_version"
[ -f "$stamp" ] && [ -x "$venv/bin/pyhanko" ] && exit 0
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
	echo "pyHanko cần python3 với venv và ensurepip (Debian: apt-get install python3-venv)." >&2
	exit 1
fi
echo "Đang cài pyHanko $version vào $venv…"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "pyhanko==$version" "pyhanko-cli==$cli_version"
touch "$stamp"
