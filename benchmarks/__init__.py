"""Benchmarks, each one command printing ratios against baselines measured in the same run.

- ``python -m benchmarks.crawl`` (or ``bash benchmarks/run.sh``): crawl speed vs wget, memory
  at N vs 10N, the unchanged second sweep, archiving overhead (issues 3 and 4);
- ``python -m benchmarks.parsing``: parsing throughput per core beside raw text extraction.
"""
