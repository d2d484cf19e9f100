#!/usr/bin/env bash
# The test command, `./sightline test [MAVEN ARGS]`: installs what the test suite needs beyond the main job's JDK,
# Maven and Node.js, then runs every test (Maven's verify). As root it installs missing packages through apt; as
# another user it names them in one message and stops. CI runs exactly this (.ci/run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v git >/dev/null || missing+=(git)
# Annotated frames draw labels: the JDK finds fonts through fontconfig.
command -v fc-list >/dev/null || missing+=(fontconfig fonts-dejavu-core)
# The Rust and C UDF SDKs: their examples and the ABI conformance modules are built for the tests.
test -x /usr/bin/rustc || missing+=(rustc)
ls /usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1 || missing+=(libstd-rust-dev-wasm32)
command -v clang >/dev/null || missing+=(clang)
command -v wasm-ld >/dev/null || missing+=(lld)
# Real peers of the live-source tests: Mosquitto (MQTT) and GStreamer's RTSP server (driven by Debian's python3).
test -x /usr/sbin/mosquitto || missing+=(mosquitto)
/usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0")' 2>/dev/null \
  || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good)
command -v chromium >/dev/null || missing+=(chromium)              # the dashboard's browser test
command -v openssl >/dev/null || missing+=(openssl)                # keys made as users make them (signed UDFs)
command -v docker-compose >/dev/null || missing+=(docker-compose)  # validates docker-compose.yml (no engine needed)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "sightline test: the tests need Debian packages that are missing; install them and run again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "sightline test: installing ${missing[*]}" >&2
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The models and sample images: ../shared in a development checkout (never in the repository).
if [ -z "${SIGHTLINE_ASSETS:-}" ]; then
  export SIGHTLINE_ASSETS="$(cd .. && pwd)/shared"
fi
test -f "$SIGHTLINE_ASSETS/models/mtcnn/mtcnn.pb" || {
  echo "sightline test: no models/mtcnn/mtcnn.pb under $SIGHTLINE_ASSETS: put the assets in ../shared or set SIGHTLINE_ASSETS" >&2
  exit 1
}

# The deployment stays valid (its images are not built here: that needs a Docker engine).
docker-compose -f docker-compose.yml config -q

# As root, a Docker engine and the base image for the Docker tests; when they are ready the Docker tests must run
# (a skip then fails the build), otherwise they are skipped and say why.
# SIGHTLINE_DOCKER=off leaves the engine alone (e.g. in a chroot sharing the host's network).
rm -f /tmp/sightline-dockerd.pid
if [ "$(id -u)" -eq 0 ] && [ "${SIGHTLINE_DOCKER:-auto}" != off ] && bash scripts/docker-engine; then
  export SIGHTLINE_REQUIRE_DOCKER=true
fi
# Under set -e a failed kill (a dockerd that already died, e.g. unprivileged in a container) would turn a passing
# suite into exit 1: the kill may fail.
trap 'if test -s /tmp/sightline-dockerd.pid; then kill "$(cat /tmp/sightline-dockerd.pid)" 2>/dev/null || true; fi' EXIT
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1

mvn -B verify "$@"
