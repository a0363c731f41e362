"""Stamp runs saved before the trainer recorded its training-semantics version (summary.json without 'semantics').

A run's version for its plan is the number of that plan's version bumps (effvit_nb.config.SEMANTICS) whose commit is an
ancestor of (or is) the git revision the run recorded: read once from git here, then written into summary.json beside
'device_kind', so that a fresh clone (or a tarball without history) needs no git to tell a current run from a stale one.
Runs whose revision git does not know stay unstamped (version 0).

    python tools/stamp_semantics.py [reports/runs]   # prints what it stamped
"""
import json, subprocess, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from effvit_nb.config import SEMANTICS, migrate_config
from effvit_nb.studyqueue import device_kind

BUMPS = {  # plan -> the commits that bumped its version, oldest first (len(BUMPS[plan]) == SEMANTICS[plan])
    'budgeted': ['720ecca'], 'progressive': ['720ecca'], 'autoprog': ['720ecca'], 'curriculum_growth': ['720ecca'],
}
assert all(len(BUMPS.get(p, [])) == v for p, v in SEMANTICS.items()), 'BUMPS and SEMANTICS disagree'

def is_ancestor(a: str, b: str) -> bool | None:
    r = subprocess.run(['git', 'merge-base', '--is-ancestor', a, b], capture_output=True)
    return {0: True, 1: False}.get(r.returncode)

def main(root='reports/runs'):
    for f in sorted(Path(root).glob('**/summary.json')):
        s = json.loads(f.read_text())
        if 'semantics' in s: continue
        rev, plan = (s.get('provenance') or {}).get('git_revision'), migrate_config(s['config'])['plan']
        anc = [is_ancestor(c, rev) for c in BUMPS.get(plan, [])] if rev else [None]
        if None in anc: print(f'{f.parent}: revision {rev} unknown to git, left unstamped'); continue
        s['semantics'], s['device_kind'] = sum(anc), device_kind(s)
        f.write_text(json.dumps(s, indent=1) + '\n')
        print(f"{f.parent}: {plan} at {rev[:7]}: semantics {s['semantics']} (now {SEMANTICS[plan]}), {s['device_kind']}")

if __name__ == '__main__': main(*sys.argv[1:])
