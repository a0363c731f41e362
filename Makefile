# Every target runs the idempotent set-up first, so each is one command on a fresh machine.
V := .venv/bin
.PHONY: setup train main-job test export readme

setup:
	@bash setup.sh

# the main job at its defaults (10 minutes on 2 CPU cores, Fashion-MNIST), as in the README
train: setup
	$(V)/papermill nbs/train.ipynb reports/train_effvit_cpu.ipynb -p out_dir reports/runs/effvit_cpu-default

# the committed cpu-scale evidence of the main job: the default run, DeiT without curriculum at the
# same budget, and the table comparing them (about 21 minutes on 2 CPU cores)
main-job: train
	$(V)/papermill nbs/train.ipynb reports/train_deit_cpu_nocurriculum.ipynb -p model deit_cpu -p curriculum False -p out_dir reports/runs/deit_cpu-nocurriculum
	$(V)/papermill nbs/tab_main_job.ipynb reports/tab_main_job.ipynb -p scale cpu

# the test command (CI runs exactly this through .ci/run)
test: setup
	$(V)/nbdev_test --do_print
	$(V)/pytest -q tests

export: setup
	$(V)/nbdev_export
	$(V)/nbdev_clean

readme: setup
	$(V)/python tools/nb2readme.py nbs/index.ipynb README.md
