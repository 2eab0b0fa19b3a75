#!/usr/bin/env bash
# bench/gpu-check.sh: the one WebGPU check of issue 3, for a session that has an NVIDIA H100
# device machine. Run it ONCE there: it runs the models and sampling benches with
# RLVR_BACKEND=webgpu (Dawn from the `webgpu` npm package on NVIDIA's Vulkan driver), plus a
# training step of a 4-layer width-256 GPT at batch 32 x 128 tokens, timed and profiled per
# kernel (tf.profile). Reference for that step: PyTorch eager 7.1 ms; tfjs WebGPU unfused 200 ms.
#
# Two parts. All paths are relative to the repository root.
#
# 1. HERE, on the CPU machine (network to the npm registry and Debian needed):
#        bash bench/gpu-check.sh pack
#    It fills the folder .gpu/ (and adds /.gpu/ to .git/info/exclude, so git ignores it):
#      .gpu/node.tar.xz            bin/node: this machine's node 20 binary (x86-64), from `command -v node`
#      .gpu/node_modules.tar.xz    a pruned copy of ./node_modules: the dependency closure of
#                                  @tensorflow/tfjs, @tensorflow/tfjs-backend-wasm, tsx, arquero and the
#                                  @huggingface tokenizers and jinja (esbuild's
#                                  linux-x64 binary included), without source maps, sources, typings and
#                                  the per-file ESM trees (Node loads each package's `main` bundle)
#      .gpu/npm/*.tgz              `npm pack` of webgpu@0.6.2 (Dawn, prebuilt linux-x64 .node) and its
#                                  dependencies debug and ms, and @tensorflow/tfjs-backend-webgpu@4.22.0:
#                                  fetched as tarballs, never installed into ./node_modules
#      .gpu/debs/*.deb             Debian's Vulkan loader (libvulkan1, amd64) and the glvnd/X11 client
#                                  libraries NVIDIA's ICD links (`apt-get download`, about 2 MB)
#    Then it unpacks the node_modules archive into a temporary copy of the repository and runs
#    bench/webgpu-check.ts there on wasm, so a broken archive shows up here and not on the device.
#    The working tree plus .gpu/ must stay under the device's 64 MiB; pack prints the sizes.
#
# 2. On the device, in ONE call (about 3-6 minutes of device time):
#        run(command="bash bench/gpu-check.sh device", carry=[".gpu"], timeout_s=400)
#    It unpacks node and node_modules into /tmp/gpu and ./node_modules, the npm tarballs into
#    ./node_modules/<name>, the Vulkan loader into / (dpkg -x, then ldconfig), sets
#    VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json, prints nvidia-smi and
#    then runs, each under `timeout`, with RLVR_BACKEND=webgpu:
#      node --import tsx bench/webgpu-check.ts webgpu     (correctness against cpu, PASS/FAIL lines)
#      node --import tsx bench/models.ts --backend webgpu --gpu-step-only
#      node --import tsx bench/models.ts --backend webgpu
#      node --import tsx bench/run.ts sampling
#    Everything printed also goes to $OUT/results/gpu-check-<gpu>-<date>.txt, and the sampling bench writes
#    $OUT/results/sampling-<gpu>-<date>.md (bench/results.ts), each with the commit pack recorded in
#    .gpu/commit.txt. Copy $OUT/results/* into bench/results/ and commit them: the README's GPU figures cite them.
#    If initBackend reports "webgpu found no GPU adapter", the log's first lines (vulkan loader,
#    ICD file) say which piece is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

WEBGPU_VERSION=0.6.2
TFJS_VERSION=4.22.0
NPM_PACKAGES=("webgpu@${WEBGPU_VERSION}" "debug@4" "ms@2" "@tensorflow/tfjs-backend-webgpu@${TFJS_VERSION}")
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
# Where pack writes (tests of this script point it elsewhere; the device call carries .gpu).
G=${GPU_DIR:-.gpu}

# Packages whose dependency closure (in ./node_modules) the benches load.
closure() {
  node -e '
    const fs = require("fs"), path = require("path");
    const seen = new Set();
    function visit(name, from) {
      for (let dir = from; ; dir = path.dirname(dir)) {
        const p = path.join(dir, "node_modules", name);
        if (fs.existsSync(path.join(p, "package.json"))) {
          const rel = path.relative(process.cwd(), p);
          if (seen.has(rel)) return;
          seen.add(rel);
          const pkg = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8"));
          const deps = { ...(pkg.dependencies || {}), ...(pkg.optionalDependencies || {}) };
          for (const d of Object.keys(deps)) if (!d.startsWith("@types/")) visit(d, p);
          return;
        }
        if (path.dirname(dir) === dir) return; // optional platform packages that are absent
      }
    }
    for (const r of process.argv.slice(1)) visit(r, process.cwd());
    console.log([...seen].join("\n"));
  ' @tensorflow/tfjs @tensorflow/tfjs-backend-wasm tsx arquero @huggingface/jinja @huggingface/tokenizers
}

# pack [--offline]: --offline skips the registry and Debian downloads (to test the rest).
pack() {
  mkdir -p "$G/npm" "$G/debs"
  if [ "$G" = .gpu ]; then grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude; fi
  # The device copy has no .git: record the commit here, for the result files written there.
  echo "$(git rev-parse --short=12 HEAD)$(git status --porcelain --untracked-files=no | grep -q . && echo +dirty)" > "$G/commit.txt"
  local node_bin
  node_bin=$(readlink -f "$(command -v node)")
  node --version
  mkdir -p /tmp/gpu-pack/bin && cp "$node_bin" /tmp/gpu-pack/bin/node
  tar -C /tmp/gpu-pack -cJf "$G/node.tar.xz" bin/node && rm -rf /tmp/gpu-pack
  # shellcheck disable=SC2046
  tar -cf - \
    --exclude='*.map' --exclude='node_modules/@tensorflow/*/src' --exclude='*.d.ts' --exclude='*.md' --exclude='*es2017*' \
    --exclude='*.min.js' --exclude='*.esm.js' --exclude='node_modules/core-js/modules' \
    --exclude='node_modules/@tensorflow/*/dist/*/*' --exclude='node_modules/@tensorflow/*/dist/index.js' \
    --exclude='*.fesm.js' --exclude='*.html' --exclude='*.tsbuildinfo' --exclude='*/miniprogram' \
    --exclude='*-threaded-simd.wasm' --exclude='node_modules/@tensorflow/tfjs/dist/tf.js' \
    $(for b in core backend-cpu backend-webgl backend-wasm layers converter data; do
        printf -- "--exclude=node_modules/@tensorflow/tfjs-%s/dist/tf-%s.js " "$b" "$b"; done) \
    $(closure) | xz -T0 -6 > "$G/node_modules.tar.xz"
  if [ "${1:-}" != --offline ]; then
    (cd "$G/npm" && rm -f ./*.tgz && for p in "${NPM_PACKAGES[@]}"; do npm pack --silent "$p"; done)
    # webgpu ships Dawn for every platform (about 50 MB); the device needs linux-x64 only.
    local w=/tmp/gpu-webgpu
    rm -rf "$w" && mkdir -p "$w" && tar -C "$w" -xzf "$G/npm/webgpu-${WEBGPU_VERSION}.tgz"
    find "$w/package/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 ! -name '*.js' ! -name '*.cjs' ! -name '*.mjs' -exec rm -rf {} +
    tar -C "$w" -czf "$G/npm/webgpu-${WEBGPU_VERSION}.tgz" package && rm -rf "$w"
    local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
    mkdir -p /tmp/amd64/partial
    apt-get "${o[@]}" update -qq
    # The Vulkan loader, and the glvnd and X11 client libraries that NVIDIA's ICD
    # (libGLX_nvidia.so.0) links: without them the loader finds "no drivers".
    (cd "$G/debs" && rm -f ./*.deb && apt-get "${o[@]}" download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 \
      libx11-6 libx11-data libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
  fi
  selftest
  du -sh "$G"/* "$G"/npm/* "$G"/debs/* 2>/dev/null || true
  echo "working tree + $G (must stay under 64 MiB):"
  { git ls-files -co --exclude-standard -z | du -ch --files0-from=- | tail -1; du -sh "$G"; }
}

# The pruned node_modules runs the library (wasm: models, sampler, trainer) in a clean copy of the tree.
selftest() {
  local dir=/tmp/gpu-selftest
  rm -rf "$dir" && mkdir -p "$dir"
  git ls-files -co --exclude-standard -z | xargs -0 cp -P --parents -t "$dir"
  tar -C "$dir" -xJf "$G/node_modules.tar.xz"
  # The same checks as on the device, against wasm: the archive holds what the library loads.
  (cd "$dir" && node --import tsx bench/webgpu-check.ts wasm)
  rm -rf "$dir"
}

# Unpacks .gpu/ (node, node_modules, the npm tarballs, the Vulkan loader and glvnd/X11 client
# libraries that NVIDIA's ICD, libGLX_nvidia.so.0, needs) and logs to $OUT/results/<name>-<gpu>-<date>.txt.
setup_device() {
  local out="${OUT:-/tmp}" gpu
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 | sed 's/^NVIDIA //' || true)
  export RLVR_BENCH_MACHINE="${gpu:-gpu}"
  export RLVR_BENCH_COMMIT="$(cat .gpu/commit.txt 2>/dev/null || echo 'unknown (no .gpu/commit.txt)')"
  export RLVR_BENCH_RESULTS="$out/results"
  mkdir -p "$RLVR_BENCH_RESULTS"
  local label
  label=$(echo "$RLVR_BENCH_MACHINE" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9.]+/-/g; s/^-|-$//g')
  exec > >(tee "$RLVR_BENCH_RESULTS/$1-$label-$(date -u +%F).txt") 2>&1
  echo "== $1 $(date -u +%FT%TZ), commit $RLVR_BENCH_COMMIT, machine $RLVR_BENCH_MACHINE =="
  mkdir -p /tmp/gpu
  tar -C /tmp/gpu -xJf .gpu/node.tar.xz
  export PATH=/tmp/gpu/bin:$PATH
  tar -xJf .gpu/node_modules.tar.xz
  for t in .gpu/npm/*.tgz; do
    local name
    name=$(tar -xzOf "$t" package/package.json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).name))')
    mkdir -p "node_modules/$name" && tar -C "node_modules/$name" --strip-components=1 -xzf "$t"
    echo "unpacked $name"
  done
  for f in .gpu/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
  export VK_DRIVER_FILES=$ICD
  echo "node $(node --version); vulkan loader: $(ldconfig -p | grep -c libvulkan) entries; ICD file: $(test -f "$ICD" && echo present || echo MISSING)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
  ls node_modules/webgpu/dist 2>/dev/null | head -20 || true
  export RLVR_BACKEND=webgpu
}

device() {
  setup_device gpu-check
  local rc=0
  echo "== correctness against cpu (bench/webgpu-check.ts) =="
  timeout 80 node --import tsx bench/webgpu-check.ts webgpu || rc=$?
  echo "== gpu step, then models bench (webgpu) =="
  timeout 70 node --import tsx bench/models.ts --backend webgpu --gpu-step-only || rc=$?
  timeout 120 node --import tsx bench/models.ts --backend webgpu || rc=$?
  echo "== sampling bench (webgpu) =="
  timeout 80 node --import tsx bench/run.ts sampling || rc=$?
  echo "== done, exit $rc =="
  return "$rc"
}

# Where the time of a WebGPU step goes: per-kernel JS cost under several submit batch sizes, and
# a CPU profile of the gpu-step (node --cpu-prof, into $OUT). After a fix, webgpu-check again.
device_profile() {
  setup_device gpu-profile
  local rc=0 out="${OUT:-/tmp}"
  timeout 80 node --import tsx bench/webgpu-check.ts webgpu || rc=$?
  timeout 120 node --import tsx bench/webgpu-dispatch.ts webgpu || rc=$?
  timeout 60 node --cpu-prof --cpu-prof-interval 500 --cpu-prof-dir="$out" --import tsx bench/models.ts --backend webgpu --gpu-step-only || rc=$?
  ls -la "$out"
  echo "== done, exit $rc =="
  return "$rc"
}

case "${1:-}" in
  pack) pack "${2:-}" ;;
  selftest) selftest ;;
  device) device ;;
  device-profile) device_profile ;;
  *) echo "usage: bash bench/gpu-check.sh pack|selftest|device|device-profile (see the comment at the top)" >&2; exit 2 ;;
esac
