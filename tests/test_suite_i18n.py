"""Every user-facing term of each addon ships in Simplified Chinese."""
import os
import re
import subprocess
import sys

import pytest

from suite_harness import ODOO_BIN, ROOT, addons_path, db_params

ADDONS = ("crm_public_pool", "crm_lead_scoring", "crm_service_ticket")


def parse_po(path):
    """Return {(msgctxt, msgid): msgstr} of a .po/.pot file (gettext syntax)."""
    entries, current, key = {}, {}, None

    def flush():
        if "msgid" in current and current["msgid"]:
            entries[(current.get("msgctxt", ""), current["msgid"])] = \
                current.get("msgstr", "")

    def unquote(text):
        escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
        return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(1)),
                      text.strip()[1:-1])

    with open(path, encoding="utf-8") as fobj:
        for line in fobj:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                current, key = {}, None
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                key, _sep, value = line.partition(" ")
                current[key] = unquote(value)
            elif line.startswith('"') and key:
                current[key] += unquote(line)
    flush()
    return entries


@pytest.mark.parametrize("addon", ADDONS)
def test_zh_cn_po_compiles_and_is_complete(addon):
    po = os.path.join(ROOT, addon, "i18n", "zh_CN.po")
    subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], check=True)
    entries = parse_po(po)
    assert entries, "empty translation file"
    untranslated = [msgid for (_ctx, msgid), msgstr in entries.items() if not msgstr]
    assert not untranslated, "untranslated: %s" % untranslated[:20]


@pytest.mark.parametrize("addon", ADDONS)
def test_every_exported_term_is_translated(addon, suite_db, tmp_path):
    """Export the terms as Odoo sees them now; each must have a zh_CN msgstr."""
    pot = tmp_path / ("%s.po" % addon)  # Odoo 11 writes a template for .po
    params = db_params()
    subprocess.run(
        [sys.executable, ODOO_BIN, "--db_host=%s" % params["host"],
         "--db_port=%s" % params["port"], "--db_user=%s" % params["user"],
         "--db_password=%s" % params["password"], "--addons-path=%s" % addons_path(),
         "-d", suite_db, "--i18n-export=%s" % pot, "--modules=%s" % addon,
         "--stop-after-init", "--log-level=warn"],
        check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
    )
    exported = {msgid for (_ctx, msgid) in parse_po(str(pot))}
    assert len(exported) > 50, "the export found almost no terms"
    translated = {msgid for (_ctx, msgid), msgstr in parse_po(
        os.path.join(ROOT, addon, "i18n", "zh_CN.po")).items() if msgstr}
    missing = sorted(exported - translated)
    assert not missing, "%d terms without zh_CN translation, e.g. %s" % (
        len(missing), missing[:15])
