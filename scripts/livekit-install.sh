#!/usr/bin/env bash
# `npm run livekit:install` (and `npm ci`'s postinstall, with --optional): builds the pinned LiveKit server from
# the Go module proxy into tools/livekit/ (git-ignored). Idempotent: a binary that reports the pinned version is
# kept. The pinned release has no `replace` directives, so the ordinary `go install pkg@version` builds it;
# LiveKit's own image builds it the same way, pure Go (CGO_ENABLED=0).
set -euo pipefail
cd "$(dirname "$0")/.."
optional=0
[ "${1:-}" = "--optional" ] && optional=1

version=$(node -p "require('./package.json').config.livekitVersion")
dir="tools/livekit"
binary="$dir/livekit-server"

if [ -x "$binary" ] && [ "$("$binary" --version 2>/dev/null)" = "livekit-server version $version" ]; then
	exit 0
fi
if ! command -v go >/dev/null 2>&1; then
	echo "LiveKit $version chưa được cài: máy này không có Go (cần Go ≥ 1.26)." >&2
	echo "  Cài Go rồi chạy: npm run livekit:install" >&2
	echo "  Hoặc đặt bản phát hành livekit-server v$version tại $binary (video tắt cho đến khi có)." >&2
	[ "$optional" = 1 ] && exit 0
	exit 1
fi

echo "Đang dựng LiveKit server v$version bằng Go (lần đầu mất vài phút; sau đó dùng bộ nhớ đệm của Go)…"
mkdir -p "$dir"
build=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$build"' EXIT
# `go install` names the binary after the package folder (`server`); it is renamed once it is complete.
GOBIN="$PWD/$build" CGO_ENABLED=0 go install "github.com/livekit/livekit-server/cmd/server@v$version"
mv -f "$build/server" "$binary"
echo "LiveKit: $("$binary" --version)"
