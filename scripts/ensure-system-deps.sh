#!/usr/bin/env bash
# The tests use real tools: Chromium (e2e), poppler's pdfsig/pdftotext, qpdf, openssl and NSS's certutil
# (signature checks), faketime (signing/clock-2030.test.ts runs the signing tests with the clock years ahead),
# redis-server (the two-node LiveKit test of test:reliability), softhsm2 (a real PKCS#11 token for the signing tests). On Debian as root they are
# installed when missing; elsewhere we say what to install.
set -euo pipefail
declare -A PACKAGE_OF=([chromium]=chromium [redis-server]=redis-server [pdfsig]=poppler-utils [pdftotext]=poppler-utils [pdftoppm]=poppler-utils [qpdf]=qpdf [openssl]=openssl [certutil]=libnss3-tools [faketime]=faketime [softhsm2-util]=softhsm2)
missing=()
for cmd in "${!PACKAGE_OF[@]}"; do
	command -v "$cmd" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
	echo "Cài đặt công cụ hệ thống còn thiếu: $packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $packages >/dev/null
else
	echo "Thiếu công cụ hệ thống cho bộ kiểm thử: $packages" >&2
	echo "Trên Debian/Ubuntu: sudo apt-get install -y $packages" >&2
	exit 1
fi
