"""Smoke run of every benchmark at a tiny size (benchmarks are not timed tests)."""
import glob
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = sorted(os.path.basename(p)
                 for p in glob.glob(os.path.join(HERE, "bench_*.py")))


@pytest.mark.parametrize("script", BENCHES)
def test_benchmark_smoke(script, suite_db):
    proc = subprocess.run(
        [sys.executable, os.path.join(HERE, script), "--smoke", "--db", suite_db],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600,
        universal_newlines=True,
    )
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "ratio" in proc.stdout.lower(), \
        "a benchmark must print its ratio to a baseline"
