#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: Debian's Fashion-MNIST and Chromium (when apt is there and we are root), a .venv with
# the pinned packages (requirements.txt), this package installed editable, and the Jupyter kernel.
# Re-running it does nothing unless requirements.txt or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: Fashion-MNIST (the default data) and Chromium (the browser tests of the reports site and JupyterLab)
debs=""
[ -d /usr/share/datasets/fashion-mnist ] || debs="$debs dataset-fashion-mnist"
command -v chromium >/dev/null 2>&1 || debs="$debs chromium"
if [ -n "$debs" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing Debian's$debs" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $debs >/dev/null; } \
    || echo "setup: could not install$debs (without Fashion-MNIST torchvision downloads it; without chromium the browser tests fail)" >&2
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
if [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the pinned packages into .venv (torch is large: a few minutes)" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  .venv/bin/python -m pip install -q --no-deps -e .
  .venv/bin/python -m pip check
  .venv/bin/python -m ipykernel install --sys-prefix --name effvit_nb --display-name "Python (effvit_nb)" >/dev/null
  echo "$want" > .venv/.setup-stamp
fi
