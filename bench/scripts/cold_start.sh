#!/usr/bin/env bash
# Cold start of a whole network (docs/PERFORMANCE.md, "Cold start"): fresh JVMs of vconv and ONNX Runtime, each
# timing its way to the first logits and then every further call, with and without JDK 25's AOT cache.
#   bench/scripts/cold_start.sh OUTDIR [MODEL] [CALLS] [ROUNDS]     (from the repository root, after the main job)
# First a training run writes OUTDIR/MODEL.aot (-XX:AOTCacheOutput); then ROUNDS rounds of four fresh JVMs, in
# turn: vconv plain, vconv with the cache, vconv with the cache and eager compilation of its profiled methods,
# ONNX Runtime plain. Each prints key-value lines (FirstResult); cold_start_summary.py reads them.
set -euo pipefail
OUT=${1:?usage: cold_start.sh OUTDIR [MODEL] [CALLS] [ROUNDS]}
MODEL=${2:-mobilenetv2}
CALLS=${3:-200}
ROUNDS=${4:-3}
JAVA=${JAVA:-java}
CP=bench/target/benchmarks.jar
RUN=(dev.vconv.bench.Main network-first --model "$MODEL" --batch 1 --threads 1)
mkdir -p "$OUT"
"$JAVA" -XX:AOTCacheOutput="$OUT/$MODEL.aot" --add-modules jdk.incubator.vector -cp "$CP" "${RUN[@]}" --runtime vconv \
    --calls 40 > "$OUT/$MODEL-train.txt" 2>&1
for r in $(seq "$ROUNDS"); do
  "$JAVA" --add-modules jdk.incubator.vector -cp "$CP" "${RUN[@]}" --runtime vconv --calls "$CALLS" > "$OUT/$MODEL-plain-$r.txt" 2>&1
  "$JAVA" -XX:AOTCache="$OUT/$MODEL.aot" --add-modules jdk.incubator.vector -cp "$CP" "${RUN[@]}" --runtime vconv \
      --calls "$CALLS" > "$OUT/$MODEL-aot-$r.txt" 2>&1
  "$JAVA" -XX:AOTCache="$OUT/$MODEL.aot" -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly \
      --add-modules jdk.incubator.vector -cp "$CP" "${RUN[@]}" --runtime vconv --calls "$CALLS" > "$OUT/$MODEL-eager-$r.txt" 2>&1
  "$JAVA" --add-modules jdk.incubator.vector -cp "$CP" "${RUN[@]}" --runtime ort --calls "$CALLS" > "$OUT/$MODEL-ort-$r.txt" 2>&1
done
