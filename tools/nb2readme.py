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
END = '<!-- readme-end'  # the README stops here; the rest of nbs/index.ipynb is the site's Notes page

def main_job_table() -> str:
    "The main job's committed comparison: each 2-core run (reports/tables/main_job.csv), then each side-by-side pair against the CNN (main_job_pairs.csv)."
    import pandas as pd
    from effvit_nb.reports import project_root
    t = project_root() / 'reports' / 'tables'
    df = pd.read_csv(t / 'main_job.csv')
    rows = ['| run | model | budget | epochs | top-1 | git |', '|---|---|---:|---:|---:|---|']
    for r in df.itertuples():
        rows.append(f'| 2 cores{", curriculum" if r.curriculum else ""} | `{r.model}` ({r.stem} stem, {r.optimizer}) | {r.budget_min:g} min | {r.epochs:.2f} '
                    f'| **{r.top1:.2f}** | {str(r.git)[:7]} |')
    if (t / 'main_job_pairs.csv').exists():
        for r in pd.read_csv(t / 'main_job_pairs.csv').itertuples():
            rows.append(f'| pair, seed {r.seed}, 1 thread each | `effvit_cpu` / `{r.comparison}` | {r.budget_min:g} min | {r.default_epochs:.2f} / {r.comparison_epochs:.2f} '
                        f'| **{r.default_top1:.2f}** / {r.comparison_top1:.2f} ({r.default_minus_comparison:+.2f}) | |')
    return '\n'.join(rows)

def claims_table() -> str:
    from effvit_nb.site import claim_rows
    from effvit_nb.reports import project_root
    return '\n'.join(claim_rows(project_root(), links=False))

from effvit_nb.site import artifact_map  # the table of every artifact in reports/ (also on the site's Notes page)

if __name__ == '__main__':
    src, dst = sys.argv[1:3]
    md = nb2md(json.loads(Path(src).read_text()))
    if END in md: md = md[:md.index(END)].rstrip() + '\n'
    for mark, table in ((MARK, artifact_map), ('<!-- main-job-table -->', main_job_table), ('<!-- claims-table -->', claims_table)):
        if mark in md: md = md.replace(mark, table())
    Path(dst).write_text(md)
