# Every target runs the idempotent set-up first, so each is one command on a fresh machine.
V := .venv/bin
.PHONY: setup queue queue-status screenshots gpu-check train main-job study-24h study-analysis study-budgeted study-autoprog bench reproduce site lab test export readme

setup:
	@bash setup.sh

# the main job at its defaults (10 minutes on 2 CPU cores, Fashion-MNIST), as in the README: into runs/ (not tracked)
train: setup
	@mkdir -p runs; $(V)/papermill nbs/train.ipynb runs/train_effvit_cpu.ipynb -p out_dir runs/effvit_cpu-default

# the committed cpu-scale evidence of the main job: the default run, DeiT without curriculum at the
# same budget, the pairs (the main job beside the CNN baseline, and the tuning candidates beside it; one thread each, 2 seeds) and the tables
# comparing them (about 110 minutes on 2 CPU cores), into reports/
main-job: setup
	$(V)/papermill nbs/train.ipynb reports/train_effvit_cpu.ipynb -p out_dir reports/runs/effvit_cpu-default
	$(V)/papermill nbs/train.ipynb reports/train_deit_cpu_nocurriculum.ipynb -p model deit_cpu -p plan fixed -p out_dir reports/runs/deit_cpu-nocurriculum
	$(V)/python -m effvit_nb.studyqueue run --minutes 95 --scale cpu --study mainjob  # the pairs: the main job beside the CNN and each tuning candidate beside the defaults, one thread each, 2 seeds
	@mkdir -p reports/cpu; $(V)/papermill nbs/tab_main_job.ipynb reports/cpu/tab_main_job.ipynb -p scale cpu

# the studies at a scale (smoke, cpu or gpu; parameter files in params/SCALE/): executed notebooks go to
# reports/SCALE/, tables and figures to reports/tables and reports/figures (smoke: temporary folders);
# SCALE=gpu needs DATASET=/path/to/imagenet (an ImageNet-style folder)
SCALE ?= cpu
study-24h: setup
	@mkdir -p reports/$(SCALE); for nb in tab_24h_benchmark fig_locality_curriculum; do \
	  $(V)/papermill nbs/$$nb.ipynb reports/$(SCALE)/$$nb.ipynb -f params/$(SCALE)/$$nb.yaml $(if $(DATASET),-p dataset $(DATASET)) || exit 1; done

study-analysis: setup
	@mkdir -p reports/$(SCALE); for nb in fig_cka_heads fig_pca_mlp fig_class_attention; do \
	  $(V)/papermill nbs/$$nb.ipynb reports/$(SCALE)/$$nb.ipynb -f params/$(SCALE)/$$nb.yaml $(if $(DATASET),-p dataset $(DATASET)) || exit 1; done

study-budgeted: setup
	@mkdir -p reports/$(SCALE); for nb in tab_budgeted fig_budget_ablations; do \
	  $(V)/papermill nbs/$$nb.ipynb reports/$(SCALE)/$$nb.ipynb -f params/$(SCALE)/$$nb.yaml $(if $(DATASET),-p dataset $(DATASET)) || exit 1; done

study-autoprog: setup
	@mkdir -p reports/$(SCALE); $(V)/papermill nbs/tab_autoprog.ipynb reports/$(SCALE)/tab_autoprog.ipynb -f params/$(SCALE)/tab_autoprog.yaml $(if $(DATASET),-p dataset $(DATASET))

# the study queue (effvit_nb.studyqueue): every run of every study is an item; this runs the pending ones in priority order
# for at most MINUTES (it never starts one it cannot finish, stops what still runs at the end: they continue next time),
# WORKERS processes of cpus/WORKERS threads; each finished run's small files land in its tracked folder under reports/runs at once
# DEVICE=cuda (one worker): the GFLOPs- and epoch-budgeted items on a GPU, into reports/runs/<study>_<scale>_cuda/ (a GPU run never
# stands in for a CPU one): e.g. make queue DEVICE=cuda MINUTES=10 as the one prepared script of a lent GPU machine
# SEGMENTS=1: an item longer than MINUTES (a GFLOPs or epoch budget, not alone, not paired: the analyses' run that plateaus) starts
# anyway and is checkpointed at the end, to continue next time on this machine (the checkpoint is git-ignored)
MINUTES ?= 60
DEVICE ?= cpu
WORKERS ?= $(if $(filter cuda,$(DEVICE)),1,2)
queue: setup
	$(V)/python -m effvit_nb.studyqueue run --minutes $(MINUTES) --scale $(SCALE) --device $(DEVICE) --workers $(WORKERS) $(if $(STUDY),--study $(STUDY)) $(if $(SEGMENTS),--segments)

# what is done, partial, stale or pending, per study and group, with the minutes spent and left (ALL=1: every item)
queue-status: setup
	@$(V)/python -m effvit_nb.studyqueue status --scale $(SCALE) --device $(DEVICE) $(if $(STUDY),--study $(STUDY)) $(if $(ALL),--all)

# the speed benchmark (issue: Speed) at SCALE: reports/bench/bench_SCALE_*, executed notebook in reports/SCALE/; then the defaults on
# photos, small images and Fashion-MNIST with the forecast against the run (3 minutes a case at cpu scale, wall-clock: run it alone)
bench: setup
	@mkdir -p reports/$(SCALE); $(V)/papermill nbs/bench.ipynb reports/$(SCALE)/bench.ipynb -p scale $(SCALE)
	$(if $(filter gpu,$(SCALE)),@echo 'bench: the forecast benchmark runs at smoke and cpu scale only',$(V)/papermill nbs/bench_forecast.ipynb reports/$(SCALE)/bench_forecast.ipynb -p scale $(SCALE))

# the GPU check (issue 17), on a machine with a CUDA GPU, under 6 minutes: training images/s and MFU of deit_small / effvit_small
# at each curriculum size, eager and compiled; the folder loader's images/s on this host's cores; which of the two bounds each
# stage; a 2-minute effvit_small run on a generated JPEG folder that must end inside its budget -> reports/bench/bench_gpu_check.*
# (on a machine without CUDA it refuses, status 2)
gpu-check: setup
	$(V)/python tools/gpu_check.py

# every table and figure notebook at SCALE through papermill (effvit_nb.reproduce): skips what is up to date, goes on past
# a failure and exits non-zero at the end, with a table of what ran (also in reports/SCALE/reproduce.md); FORCE=1 reruns all
reproduce: setup
	$(V)/python -m effvit_nb.reproduce --scale $(SCALE) $(if $(FORCE),--force) $(if $(DATASET),--dataset $(DATASET))

# the reports site, built offline into site/ (not committed): open site/index.html
site: setup
	$(V)/python -m effvit_nb.site --out site

# the committed screenshots of the site and of JupyterLab (reports/screenshots/), taken by the browser tests
screenshots: setup
	EFFVIT_SCREENSHOTS=$(CURDIR)/reports/screenshots $(V)/pytest -q tests/test_site.py

# JupyterLab on the notebooks with the project's kernel
lab: setup
	$(V)/jupyter lab nbs/ $(if $(filter 0,$(shell id -u)),--allow-root)

# the test command (CI runs exactly this through .ci/run): the library notebooks through nbdev_test (one at a time: two
# notebooks each training on 2 threads oversubscribe 2 cores, measured 5 min against 1.7 min), every table and figure
# notebook through papermill at smoke scale (make reproduce SCALE=smoke), then pytest (end to end, failures, browsers)
test: setup
	$(V)/nbdev_test --do_print --n_workers 1 --skip_file_re '^(_|\.|tab_|fig_|bench)'
	$(V)/python -m effvit_nb.reproduce --scale smoke --force
	$(V)/pytest -q --durations=20 tests

export: setup
	$(V)/nbdev_export
	$(V)/python -c "from effvit_nb.config import write_parameters; write_parameters('nbs/train.ipynb')"  # its parameters cell, from the method registry
	$(V)/nbdev_clean

readme: setup
	$(V)/python tools/nb2readme.py nbs/index.ipynb README.md
