#!/bin/bash
# The one prepared script of a lent GPU machine (about 10 minutes): the queue's GPU items, then `make gpu-check` if time is left.
#
#   bash tools/gpu_session.sh OUT_DIR [SECONDS]       # on the GPU machine, from the repository root
#
# 1. the analysis runs (epoch budgets: a run that plateaus, its derived numbers written beside it), two at a time;
# 2. the AutoProg ladder (epoch budgets, each alone: its speed-up is wall-clock), in priority order, while time is left;
# 3. the runs' small files (no checkpoints or snapshots) packed into OUT_DIR/runs_cuda.tgz, to unpack in the repository
#    root and commit: they land in reports/runs/<study>_<scale>_cuda/ (a GPU run never stands in for a CPU one);
# 4. tools/gpu_check.py (under 6 minutes) when that much time is left, its report copied to OUT_DIR.
# Uses the machine's own python3 (PyTorch with CUDA) with this checkout on PYTHONPATH; Fashion-MNIST from Debian's folder,
# or from .gpudata/fashion-mnist when the machine has none (copy /usr/share/datasets/fashion-mnist there and carry it).
set -u
OUT_DIR=${1:?usage: bash tools/gpu_session.sh OUT_DIR [SECONDS]}; TOTAL=${2:-560}
PY=${PY:-python3}; SCALE=${SCALE:-cpu}; RATE=${RATE:-250000}
START=$(date +%s); left() { echo $(( TOTAL - ($(date +%s) - START) )); }
mkdir -p "$OUT_DIR"; export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
if [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && [ -d .gpudata/fashion-mnist ]; then
  mkdir -p /usr/share/datasets && cp -r .gpudata/fashion-mnist /usr/share/datasets/ || exit 1
fi
$PY -c "import torch, timm; print('torch', torch.__version__, 'timm', timm.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no CUDA')" || exit 1
queue() {  # study workers minutes
  $PY -m effvit_nb.studyqueue run --scale "$SCALE" --device "${DEVICE:-cuda}" --study "$1" --workers "$2" --minutes "$3" --rate "$RATE" --root . 2>&1 | tee -a "$OUT_DIR/queue.log"
}
queue analysis 2 "$(( $(left) < 300 ? $(left) / 60 : 5 ))"
m=$(( ($(left) - 45) / 60 )); [ "$m" -ge 1 ] && queue autoprog 1 "$m"
tar czf "$OUT_DIR/runs_cuda.tgz" --exclude='*.pt' --exclude='snapshots' --exclude='*.tmp' reports/runs/*_"${DEVICE:-cuda}" 2>/dev/null
echo "packed: $(tar tzf "$OUT_DIR/runs_cuda.tgz" | grep -c summary.json) finished runs; $(left) s left"
if [ "$(left)" -ge 360 ]; then $PY tools/gpu_check.py 2>&1 | tee "$OUT_DIR/gpu_check.log"; cp reports/bench/bench_gpu_check.* "$OUT_DIR/" 2>/dev/null
else echo "gpu-check skipped: $(left) s left, it needs 360"; fi
