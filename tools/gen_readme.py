#!/usr/bin/env python3
"""Each addon's README.rst and static/description/index.html (the page Apps
shows) from its readme/ fragments, in the OCA layout.

    .venv/bin/python tools/gen_readme.py           # rewrite them
    .venv/bin/python tools/gen_readme.py --check   # exit 1 if one is stale

Edit the fragments (readme/DESCRIPTION.rst, CONFIGURE.rst, USAGE.rst,
HISTORY.rst, CONTRIBUTORS.rst), never the generated files.
"""
import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ('crm_public_pool', 'crm_lead_scoring', 'crm_service_ticket')
SECTIONS = (('CONFIGURE.rst', 'Configuration'), ('USAGE.rst', 'Usage'),
            ('HISTORY.rst', 'Changelog'))
BADGE = """.. |badge1| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png
    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html
    :alt: License: LGPL-3

|badge1|
"""


def _fragment(addon, name):
    path = os.path.join(ROOT, addon, 'readme', name)
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as fobj:
        return fobj.read().strip('\n')


def _title(text, char, over=False):
    # width in characters is enough for docutils (it counts east-asian
    # wide characters as two columns: pad for them)
    width = sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)
    line = char * width
    return ('%s\n%s\n%s\n' % (line, text, line)) if over \
        else ('%s\n%s\n' % (text, line))


def readme(addon):
    with open(os.path.join(ROOT, addon, '__manifest__.py'),
              encoding='utf-8') as fobj:
        manifest = ast.literal_eval(fobj.read())
    parts = [_title(manifest['name'], '=', over=True), BADGE,
             _fragment(addon, 'DESCRIPTION.rst') + '\n',
             '**Table of contents**\n\n.. contents::\n   :local:\n']
    for name, heading in SECTIONS:
        text = _fragment(addon, name)
        if text:
            parts.append(_title(heading, '=') + '\n' + text + '\n')
    credits = [_title('Credits', '='), _title('Authors', '~') + '\n* %s\n'
               % manifest['author']]
    contributors = _fragment(addon, 'CONTRIBUTORS.rst')
    if contributors:
        credits.append(_title('Contributors', '~') + '\n' + contributors + '\n')
    parts.append('\n'.join(credits))
    return '\n'.join(parts)


def index_html(source):
    from docutils.core import publish_string
    return publish_string(source, writer_name='html', settings_overrides={
        'output_encoding': 'utf-8'}).decode('utf-8')


def main(check):
    stale = []
    for addon in ADDONS:
        source = readme(addon)
        for path, text in ((os.path.join(addon, 'README.rst'), source),
                           (os.path.join(addon, 'static', 'description',
                                         'index.html'), index_html(source))):
            full = os.path.join(ROOT, path)
            with open(full, encoding='utf-8') as fobj:
                current = fobj.read()
            if current == text:
                continue
            stale.append(path)
            if not check:
                with open(full, 'w', encoding='utf-8') as fobj:
                    fobj.write(text)
    for path in stale:
        print('%s %s' % ('stale:' if check else 'written:', path))
    return 1 if check and stale else 0


if __name__ == '__main__':
    sys.exit(main('--check' in sys.argv[1:]))
