"""`make bench`: run Alur's benchmarks one after another and print their figures.

Benchmarks print what they measure; they never assert timings (a slow machine is not a failure).

Each benchmark is a module in this folder with a docstring whose first line is its title and a
`main(options)` function taking the parsed command line below. To add one, write the module and
append its name to BENCHMARKS.

    .venv/bin/python bench/run.py                      # every benchmark, every database
    .venv/bin/python bench/run.py --cases 100          # fewer cases (quicker, noisier)
    .venv/bin/python bench/run.py --only sqlite        # one database
    .venv/bin/python bench/run.py engine               # named benchmarks only
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time

BENCHMARKS = ["engine", "bpmn", "render", "monitoring", "register"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="BENCHMARK",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--cases", type=int, default=None, metavar="N",
                        help="cases per database (default: each benchmark's own, chosen to take 10-30 s)")
    parser.add_argument("--only", choices=["sqlite", "postgres"], default=None,
                        help="run on this database only (default: SQLite, then PostgreSQL if it answers)")
    options = parser.parse_args(argv)
    unknown = [n for n in options.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    if options.cases is not None and options.cases < 1:
        parser.error("--cases must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    for name in options.names or BENCHMARKS:
        module = importlib.import_module(name)
        title = (module.__doc__ or name).strip().splitlines()[0]
        print(f"\n{'=' * 100}\n{name}: {title}\n{'=' * 100}", flush=True)
        started = time.perf_counter()
        module.main(options)
        print(f"\n({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
