"""Each addon builds into an installable wheel from setup/ (OCA setuptools-odoo)."""
import os
import subprocess
import sys
import zipfile

import pytest

from suite_harness import ROOT

ADDONS = ("crm_public_pool", "crm_lead_scoring", "crm_service_ticket")


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_builds_with_addon_inside(addon, tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(tmp_path),
         os.path.join(ROOT, "setup", addon)],
        check=True, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    wheels = list(tmp_path.glob("odoo11_addon_%s-11.0.*.whl" % addon))
    assert len(wheels) == 1
    with zipfile.ZipFile(str(wheels[0])) as whl:
        names = whl.namelist()
        metadata = whl.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "odoo/addons/%s/__manifest__.py" % addon in names
    assert "odoo/addons/%s/static/description/icon.png" % addon in names
    assert "License: LGPL-3" in metadata
    assert "Requires-Dist: odoo" in metadata and "<11.1dev" in metadata
