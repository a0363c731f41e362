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

if __name__ == '__main__':
    src, dst = sys.argv[1:3]
    Path(dst).write_text(nb2md(json.loads(Path(src).read_text())))
