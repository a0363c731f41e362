"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which cannot be installed here).

Markdown cells are copied as they are; code cells become ```python blocks, followed by their text
outputs if the notebook was executed. Usage: python tools/nb2readme.py nbs/index.ipynb README.md"""
import json, sys
from pathlib import Path

def nb2md(nb: dict) -> str:
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source']).rstrip()
        if not src or src.startswith('#| hide') or c['cell_type'] == 'raw': continue
        if c['cell_type'] == 'markdown': parts.append(src)
        else:
            parts.append(f'```python\n{src}\n```')
            outs = [''.join(o.get('text', '')) for o in c.get('outputs', []) if o.get('output_type') == 'stream']
            if any(outs): parts.append('```\n' + ''.join(outs).rstrip() + '\n```')
    return '<!-- generated from nbs/index.ipynb by tools/nb2readme.py: edit the notebook, then `make readme` -->\n\n' + '\n\n'.join(parts) + '\n'

MARK = '<!-- artifact-map -->'

def artifact_map() -> str:
    "The table of every artifact in reports/ with the notebook and command that produce it, from effvit_nb.reproduce.REPORTS."
    from effvit_nb.reproduce import REPORTS, outputs
    rows = ['| artifact | notebook | command |', '|---|---|---|']
    for r in REPORTS:
        scale = 'cpu'
        arts = ', '.join(f'`{a}`' for a in outputs(r, scale)[1:] + outputs(r, scale)[:1])
        rows.append(f'| {arts} | `nbs/{r.notebook}.ipynb` | `make reproduce SCALE={scale}` (step `{r.name}`) |')
    rows.append('| every `reports/tables/*.md` and `reports/bench/*.md` has its `.csv` beside it; per-model figures (`*_deit.png`, `*_effvit.png`, `cka_heads_matrices_*`) and `reports/bench/bench_cpu_env.json` come from the notebook of their row | | |')
    rows.append('| `reports/runs/<study>_cpu/*/` (metrics, summary, config of every run behind a table or figure) | the study\'s notebooks | the same command |')
    rows.append('| `reports/cpu/reproduce.{json,md}` (stamps of what is up to date; the last run\'s table) | `nbs/11_reproduce.ipynb` | `make reproduce SCALE=cpu` |')
    rows.append('| `reports/screenshots/{site_landing,jupyterlab_train}.png` | `tests/test_site.py` | `make screenshots` (`make test` takes them into a temporary folder) |')
    return '\n'.join(rows)

if __name__ == '__main__':
    src, dst = sys.argv[1:3]
    md = nb2md(json.loads(Path(src).read_text()))
    if MARK in md: md = md.replace(MARK, artifact_map())
    Path(dst).write_text(md)
