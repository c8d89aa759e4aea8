"""Crawl benchmarks on the scaled demo portal: ``python -m benchmarks.crawl`` (or ``bash benchmarks/run.sh``)."""
