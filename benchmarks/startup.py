"""Start-up cost: ``python -c "import ledger"`` and ``ledger --help``, against baselines in the same run.

Every command pays its start-up before it does anything, so this is the
floor of the CLI's latency. Each figure is the median wall time of N runs of a
fresh interpreter, and is printed beside:

- ``python -c pass`` and ``python -c "import typer"`` (the CLI's one import at
  start-up), as ratios;
- with ``--compare REV``, the same commands on the code at git revision REV
  (checked out into a temporary worktree and put first on ``PYTHONPATH``), so a
  change can be shown to be no slower than what it replaced.

Usage::

    .venv/bin/python benchmarks/startup.py --runs 21 --compare f2dc2ec

Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_seconds(argv: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _commands(code_root: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "import ledger": [python, "-c", "import ledger"],
        "ledger --help": [python, "-c", "import sys; sys.argv = ['ledger', '--help']; from ledger.cli import main; main()"],
    }


def _env(code_root: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code_root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--compare", metavar="REV", help="A git revision to measure in the same run, e.g. f2dc2ec.")
    args = parser.parse_args()

    trees = {"this tree": ROOT}
    worktree = None
    if args.compare:
        worktree = Path(tempfile.mkdtemp(prefix="ledger-startup-")) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.compare],
                       check=True, capture_output=True)
        trees[args.compare] = worktree
    try:
        env = _env(ROOT)
        # Byte-compile every tree first so no run pays for it.
        for tree in trees.values():
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "ledger")], check=True)
        bare = _median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        typer_ = _median_seconds([sys.executable, "-c", "import typer"], args.runs, env)
        print(f"python -c pass: {bare * 1000:.0f} ms; python -c 'import typer': {typer_ * 1000:.0f} ms "
              f"(median of {args.runs})\n")
        print("| command | tree | median | × import typer |" + (" × the other tree |" if worktree else ""))
        print("|---|---|---|---|" + ("---|" if worktree else ""))
        # Interleave the trees command by command, so drift on a shared machine hits both alike.
        for name in _commands(ROOT):
            results = {}
            for label, tree in trees.items():
                results[label] = _median_seconds(_commands(tree)[name], args.runs, _env(tree))
            for label, seconds in results.items():
                row = f"| `{name}` | {label} | {seconds * 1000:.0f} ms | {seconds / typer_:.2f} |"
                if worktree:
                    other = next(v for k, v in results.items() if k != label)
                    row += f" {seconds / other:.2f} |"
                print(row)
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False,
                           capture_output=True)


if __name__ == "__main__":
    main()
