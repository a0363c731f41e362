# Every target runs the idempotent set-up first, so each is one command on a fresh machine.
V := .venv/bin
.PHONY: setup train test export clean readme

setup:
	@bash setup.sh

# the main job at its defaults (10 minutes on 2 CPU cores, Fashion-MNIST)
train: setup
	$(V)/papermill nbs/train.ipynb runs/train.ipynb

# the test command (CI runs exactly this through .ci/run)
test: setup
	$(V)/nbdev_test --do_print
	$(V)/pytest -q tests

export: setup
	$(V)/nbdev_export
	$(V)/nbdev_clean

readme: setup
	$(V)/python tools/nb2readme.py nbs/index.ipynb README.md
