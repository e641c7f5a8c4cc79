"""Break Casefile's critical rules one at a time and check that the test suite notices.

Each mutation in tests/mutants.toml names a file, a text that occurs exactly once in it and
its replacement: the kind of change a careless refactor makes (a dropped filter, a widened
permission, a skipped check). For each, this script

1. applies it to a scratch copy of the working tree (the tree itself is never touched, so
   Ctrl-C or a crash cannot leave a mutated file behind),
2. runs the mutation's own tests (``tests = [...]``) without servers: SQLite, no Redis, no
   Celery worker, no browser; on PostgreSQL when the mutation says ``database =
   "postgresql"`` (row locks, concurrency, PostgreSQL-only search),
3. if none of them fails, runs the whole server-free suite, stopping at the first failure,
4. prints "killed" with the tests that failed, or "SURVIVED".

Before any mutation, the listed tests run once on the unchanged copy: a test that already
fails would "kill" every mutation and prove nothing.

    scripts/mutants                          # every mutation
    scripts/mutants fetcher-https-fallback   # some, by name
    scripts/mutants --list                   # names and rules, nothing run
    scripts/mutants --markdown var/mutants.md

Exit status 0 when every mutation run was killed, 1 when one survived or could not run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIST = ROOT / "tests" / "mutants.toml"
# Not needed by the tests, or rebuilt by them; .venv is linked, not copied.
NOT_COPIED = {".git", ".venv", "var", "node_modules", "media", "staticfiles", "test-artifacts"}
NOT_COPIED_PATTERNS = ("__pycache__", ".pytest_cache", ".ruff_cache", "*.pyc")
# Never part of a mutant run: the browser tests need servers, and the list's own check fails
# on every mutant (its text no longer occurs), which would pass for a kill.
NOT_RUN = ("tests/browser", "tests/test_mutants_list.py")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/casefile_mutants"
RUN_TIMEOUT = 30 * 60


@dataclass
class Mutation:
    name: str
    rule: str
    file: str
    find: str
    replace: str
    tests: list[str]
    database: str = "sqlite"

    def check(self, root: Path) -> str | None:
        """Why this mutation cannot be applied to ``root``, or None."""
        path = root / self.file
        if not path.is_file():
            return f"{self.file} does not exist"
        found = path.read_text(encoding="utf-8").count(self.find)
        if found != 1:
            return f"its text occurs {found} times in {self.file}, not once"
        if self.find == self.replace:
            return "its replacement is the text itself"
        if self.database not in {"sqlite", "postgresql"}:
            return f"database must be sqlite or postgresql, not {self.database!r}"
        missing = [test for test in self.tests if not (root / test.split("::")[0]).exists()]
        if missing:
            return f"its tests do not exist: {', '.join(missing)}"
        if not self.tests:
            return "it names no tests"
        return None


@dataclass
class Outcome:
    mutation: Mutation
    verdict: str  # killed, SURVIVED, error, not run
    killers: list[str] = field(default_factory=list)
    detail: str = ""
    seconds: float = 0.0
    by_whole_suite: bool = False


def load(path: Path) -> list[Mutation]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("mutation", [])
    known = set(Mutation.__dataclass_fields__)
    mutations = []
    for entry in entries:
        unknown = set(entry) - known - {"killed_by"}
        if unknown:
            raise SystemExit(f"{path}: {entry.get('name')}: unknown keys {sorted(unknown)}")
        mutations.append(Mutation(**{key: entry[key] for key in entry if key in known}))
    names = [mutation.name for mutation in mutations]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SystemExit(f"{path}: names used twice: {', '.join(duplicated)}")
    return mutations


def copy_tree(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        ignored = shutil.ignore_patterns(*NOT_COPIED_PATTERNS)(directory, names)
        if Path(directory) == ROOT:
            ignored |= NOT_COPIED & set(names)
        return ignored

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)
    (destination / ".venv").symlink_to(ROOT / ".venv")


def postgres_reachable(url: str) -> bool:
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=config["USER"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            connect_timeout=3,
        ).close()
    except psycopg2.Error:
        return False
    return True


class Runner:
    def __init__(self, tree: Path, run_id: str, postgres_url: str, processes: str) -> None:
        self.tree = tree
        self.run_id = run_id
        self.postgres_url = postgres_url
        self.processes = processes
        self.report = tree / "var" / "mutants-report.xml"
        self.report.parent.mkdir(exist_ok=True)

    def environment(self, database: str) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "CI", "PYTEST_ADDOPTS"}
        }
        environment.update(
            SECRET_KEY="mutants-only-secret-key",  # noqa: S106  (a throwaway test key)
            DEBUG="false",
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            SECURE_SSL_REDIRECT="false",
            CACHE_URL="locmemcache://",
            CASEFILE_TEST_RUN=self.run_id,
            # A mutated module and its restored original may share size and mtime second.
            PYTHONDONTWRITEBYTECODE="1",
        )
        if database == "postgresql":
            environment["DATABASE_URL"] = self.postgres_url
        return environment

    def pytest(
        self, database: str, arguments: list[str], *, whole: bool
    ) -> tuple[int, list[str], str]:
        """Run pytest in the scratch tree: exit status, failed test ids, last output lines."""
        self.report.unlink(missing_ok=True)
        command = [
            str(self.tree / ".venv" / "bin" / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={self.report}",
            *[f"--ignore={path}" for path in NOT_RUN],
        ]
        if whole:
            command += ["-x", "-n", self.processes] if self.processes != "0" else ["-x"]
        else:
            command += ["-p", "no:xdist"]
        try:
            finished = subprocess.run(  # noqa: S603  (our own pytest, our arguments)
                command + arguments,
                cwd=self.tree,
                env=self.environment(database),
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return -1, [], f"timed out after {RUN_TIMEOUT} s"
        output = (finished.stdout + finished.stderr).strip().splitlines()
        # pytest-xdist stopped by -x may leave the report without the failure: read the summary.
        failed = self.failures() or [
            line.split()[1] for line in output if line.startswith(("FAILED ", "ERROR "))
        ]
        return finished.returncode, failed, "\n".join(output[-15:])

    def failures(self) -> list[str]:
        if not self.report.exists():
            return []
        failed = []
        report = ElementTree.parse(self.report)  # noqa: S314  (pytest's own report)
        for case in report.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                path = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
                failed.append(f"{path}::{case.get('name')}")
        return failed

    def baseline(self, mutations: list[Mutation]) -> None:
        for database in ("sqlite", "postgresql"):
            tests = sorted({t for m in mutations if m.database == database for t in m.tests})
            if not tests:
                continue
            print(f"Baseline: {len(tests)} test files or ids on {database}, unmutated...")
            status, failed, tail = self.pytest(database, tests, whole=False)
            if status != 0:
                raise SystemExit(
                    f"The listed tests fail without any mutation ({database}), so a 'killed'"
                    f" would prove nothing. Fix them first:\n" + "\n".join(failed or [tail])
                )

    def run(self, mutation: Mutation) -> Outcome:
        started = time.monotonic()
        path = self.tree / mutation.file
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace(mutation.find, mutation.replace, 1), encoding="utf-8")
        try:
            outcome = self._judge(mutation)
        finally:
            path.write_text(original, encoding="utf-8")
        outcome.seconds = time.monotonic() - started
        return outcome

    def _judge(self, mutation: Mutation) -> Outcome:
        status, failed, tail = self.pytest(mutation.database, mutation.tests, whole=False)
        if status == 1 and failed:
            return Outcome(mutation, "killed", failed)
        if status not in (0, 1, 5):
            # Collection errors, a crash, a timeout: the mutant broke more than a rule.
            return Outcome(mutation, "error", failed, detail=tail)
        status, failed, tail = self.pytest(mutation.database, ["tests"], whole=True)
        if status == 1 and failed:
            return Outcome(mutation, "killed", failed, by_whole_suite=True)
        if status == 0:
            return Outcome(mutation, "SURVIVED")
        return Outcome(mutation, "error", failed, detail=tail)


def describe(outcome: Outcome) -> str:
    if outcome.verdict != "killed":
        return outcome.detail.splitlines()[-1] if outcome.detail else ""
    first, rest = outcome.killers[0], len(outcome.killers) - 1
    where = " (whole suite)" if outcome.by_whole_suite else ""
    return f"by {first}" + (f" and {rest} more" if rest else "") + where


def markdown(outcomes: list[Outcome]) -> str:
    lines = ["| mutation | file | rule | verdict | killed by |", "|---|---|---|---|---|"]
    for outcome in outcomes:
        killers = "<br>".join(f"`{killer}`" for killer in outcome.killers) or outcome.detail
        lines.append(
            f"| `{outcome.mutation.name}` | `{outcome.mutation.file}` | {outcome.mutation.rule}"
            f" | {outcome.verdict} | {killers} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only these mutations")
    parser.add_argument("--file", type=Path, default=DEFAULT_LIST, help="the mutation list")
    parser.add_argument("--list", action="store_true", help="print the mutations and stop")
    parser.add_argument("--markdown", type=Path, help="also write the results table here")
    parser.add_argument(
        "--processes",
        default=os.environ.get("TEST_PROCESSES", "2"),
        help="pytest-xdist processes for whole-suite runs (0: one process)",
    )
    options = parser.parse_args()

    mutations = load(options.file)
    problems = [(m.name, m.check(ROOT)) for m in mutations]
    problems = [(name, why) for name, why in problems if why]
    if problems:
        for name, why in problems:
            print(f"error: mutation {name}: {why}", file=sys.stderr)
        return 1
    if options.names:
        unknown = set(options.names) - {m.name for m in mutations}
        if unknown:
            print(f"error: no such mutations: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 1
        mutations = [m for m in mutations if m.name in options.names]
    if options.list:
        for mutation in mutations:
            print(f"{mutation.name:40} {mutation.file:40} {mutation.rule}")
        return 0

    postgres_url = os.environ.get("MUTANTS_DATABASE_URL", DEFAULT_POSTGRES_URL)
    outcomes: list[Outcome] = []
    needing_postgres = [m for m in mutations if m.database == "postgresql"]
    if needing_postgres and not postgres_reachable(postgres_url):
        print(f"PostgreSQL at {postgres_url} is unreachable (MUTANTS_DATABASE_URL):")
        for mutation in needing_postgres:
            print(f"  not run: {mutation.name}")
            outcomes.append(Outcome(mutation, "not run", detail="needs PostgreSQL"))
        mutations = [m for m in mutations if m.database != "postgresql"]

    run_id = f"mutants{os.getpid()}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="casefile-mutants-") as scratch:
        tree = Path(scratch) / "tree"
        copy_tree(tree)
        runner = Runner(tree, run_id, postgres_url, options.processes)
        try:
            runner.baseline(mutations)
            for number, mutation in enumerate(mutations, 1):
                print(f"[{number}/{len(mutations)}] {mutation.name} ...", end=" ", flush=True)
                outcome = runner.run(mutation)
                outcomes.append(outcome)
                print(f"{outcome.verdict} in {outcome.seconds:.0f} s {describe(outcome)}")
        finally:
            if needing_postgres:
                drop = [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/drop_test_run.py")]
                subprocess.run(  # noqa: S603  (our own script)
                    [*drop, run_id],
                    env={**os.environ, "DATABASE_URL": postgres_url},
                    capture_output=True,
                )

    killed = sum(outcome.verdict == "killed" for outcome in outcomes)
    print(f"\n{killed} of {len(outcomes)} mutations killed in {time.monotonic() - started:.0f} s.")
    for outcome in outcomes:
        if outcome.verdict != "killed":
            print(f"  {outcome.verdict}: {outcome.mutation.name} ({outcome.mutation.rule})")
            if outcome.detail:
                print("    " + outcome.detail.replace("\n", "\n    "))
    if options.markdown:
        options.markdown.parent.mkdir(parents=True, exist_ok=True)
        options.markdown.write_text(markdown(outcomes), encoding="utf-8")
        print(f"Table written to {options.markdown}")
    return 0 if killed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
