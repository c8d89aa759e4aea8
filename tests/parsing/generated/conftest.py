"""Under pytest-xdist, the workers of one run share the OCR of the scans and split it between them.

At the first test of a scan format on a worker, the worker OCRs its share of
every scan (case i of n goes to worker i mod n) into a directory all workers
of the run see; any other scan it needs it reads from there, or waits for
the worker OCRing it. Without xdist, ``measure`` caches in memory.
"""

from __future__ import annotations

import os

import pytest

from . import measure


@pytest.fixture(scope="session")
def _scans_shared(tmp_path_factory):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        measure.share_parses(tmp_path_factory.getbasetemp().parent / "ocr-reports")
        measure.warm(measure.SCANS, int(worker.removeprefix("gw")), int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))


@pytest.fixture(autouse=True)
def _scans_before_scan_tests(request):
    callspec = getattr(request.node, "callspec", None)
    if callspec and callspec.params.get("fmt") in measure.SCANS:
        request.getfixturevalue("_scans_shared")
