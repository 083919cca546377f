"""House rules that flake8 and pylint-odoo do not check."""
import os
import re

import pytest

from suite_harness import ROOT

ADDONS = ("crm_public_pool", "crm_lead_scoring", "crm_service_ticket")
SUDO = re.compile(r"\.sudo\(\s*\)")


def python_files(addon):
    for folder, _dirs, files in os.walk(os.path.join(ROOT, addon)):
        if os.sep + "tests" in folder:
            continue
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(folder, name)


@pytest.mark.parametrize("addon", ADDONS)
def test_every_sudo_says_why_it_is_safe(addon):
    """A ``sudo()`` needs a comment on its line or in the 3 lines above it."""
    unexplained = []
    for path in python_files(addon):
        with open(path, encoding="utf-8") as fobj:
            lines = fobj.read().splitlines()
        for index, line in enumerate(lines):
            if not SUDO.search(line.split("#")[0]):
                continue
            window = lines[max(0, index - 3):index + 1]
            if not any("sudo" in text.split("#", 1)[1].lower()
                       for text in window if "#" in text):
                unexplained.append("%s:%d" % (os.path.relpath(path, ROOT), index + 1))
    assert not unexplained, "sudo() without a '# sudo: why' comment:\n" + "\n".join(
        unexplained)


@pytest.mark.parametrize("addon", ADDONS)
def test_policy_math_does_not_import_odoo(addon):
    """The plain-Python policy modules stay free of the ORM."""
    found = []
    for folder in ("lib", "policy"):
        path = os.path.join(ROOT, addon, folder)
        if not os.path.isdir(path):
            continue
        found.append(folder)
        for name in os.listdir(path):
            if name.endswith(".py"):
                with open(os.path.join(path, name), encoding="utf-8") as fobj:
                    source = fobj.read()
                assert not re.search(r"^\s*(from|import)\s+odoo\b", source, re.M), \
                    "%s/%s/%s imports odoo" % (addon, folder, name)
    assert found, "%s has no plain-Python policy package" % addon


IMPORT_LINE = re.compile(r"^from\s+\.\s+import\s+(.+)$", re.M)


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_module_is_imported_by_its_package(addon):
    """Odoo's runner (``odoo-bin --test-enable``, OCA CI) only runs the test
    modules that ``tests/__init__.py`` imports; pytest would run the others
    anyway and hide the gap."""
    folder = os.path.join(ROOT, addon, "tests")
    modules = {name[:-3] for name in os.listdir(folder)
               if name.startswith("test_") and name.endswith(".py")}
    with open(os.path.join(folder, "__init__.py"), encoding="utf-8") as fobj:
        source = fobj.read()
    imported = set()
    for names in IMPORT_LINE.findall(source):
        imported.update(name.strip() for name in names.split("#")[0].split(","))
    missing = sorted(modules - imported)
    assert not missing, "%s/tests/__init__.py does not import: %s" % (
        addon, ", ".join(missing))


# Modules every addon that needs them ships verbatim: the addons do not
# depend on each other, yet each of these rules is written once.
SHARED_MODULES = {
    "controllers/plain_json.py": ("crm_public_pool", "crm_lead_scoring"),
    "models/batch_commit.py": ADDONS,
    "models/mail_summary.py": ADDONS,
}


@pytest.mark.parametrize("path", sorted(SHARED_MODULES))
def test_shared_modules_are_identical_in_every_addon(path):
    texts = {}
    for addon in SHARED_MODULES[path]:
        with open(os.path.join(ROOT, addon, path), encoding="utf-8") as fobj:
            texts[addon] = fobj.read()
    assert len(set(texts.values())) == 1, "%s differs between %s" % (
        path, ", ".join(sorted(texts)))


def test_readmes_are_generated_from_their_fragments():
    """README.rst and the Apps page (static/description/index.html) come
    from readme/*.rst: ``tools/gen_readme.py`` rewrites them."""
    import subprocess
    import sys
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "gen_readme.py"), "--check"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert proc.returncode == 0, proc.stdout + (
        "\nrun: .venv/bin/python tools/gen_readme.py")
