"""Collection glue for running addon tests and live-server tests in one pytest run.

pytest-odoo 1.0.1 treats every collected file as part of an Odoo addon. Files
outside an addon (the top-level ``tests/`` folder) are collected as plain
pytest modules here instead.
"""
from pathlib import Path

import pytest


def _inside_addon(path):
    path = Path(str(path)).resolve()
    return any((parent / "__manifest__.py").is_file() for parent in path.parents)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if not _inside_addon(module_path):
        if module_path.name == "__init__.py":
            return pytest.Package.from_parent(parent, path=module_path)
        return pytest.Module.from_parent(parent, path=module_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path):
    # pytest-odoo would look for a manifest above any path and fail on a missing
    # one: answer for the files that belong to no addon.
    if not _inside_addon(collection_path):
        return collection_path.name in ("__pycache__", "var", ".venv")
    return None
