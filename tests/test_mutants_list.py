"""The mutation list (tests/mutants.toml, run by scripts/mutants) still fits the code.

A refactor that rewrites a guarded line leaves its mutation pointing at text that is gone:
scripts/mutants would refuse to run. This catches it in the ordinary test run instead.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "tests" / "mutants.toml"

spec = importlib.util.spec_from_file_location("mutants", ROOT / "scripts" / "mutants.py")
mutants = importlib.util.module_from_spec(spec)
sys.modules["mutants"] = mutants  # dataclasses look their module up there
spec.loader.exec_module(mutants)

MUTATIONS = mutants.load(LIST)


def test_the_list_covers_the_critical_rules():
    files = {mutation.file for mutation in MUTATIONS}
    assert len(MUTATIONS) >= 40
    for guarded in (
        "casefile/publication.py",
        "casefile/workflow.py",
        "casefile/access.py",
        "appeals/references.py",
        "appeals/jobs.py",
        "appeals/pdf.py",
    ):
        assert guarded in files


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda mutation: mutation.name)
def test_each_mutation_still_applies_once_and_names_existing_tests(mutation):
    assert mutation.check(ROOT) is None


def test_a_text_found_twice_is_refused(tmp_path):
    (tmp_path / "module.py").write_text("allowed = True\nallowed = True\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_module.py").write_text("")
    twice = mutants.Mutation(
        name="twice",
        rule="-",
        file="module.py",
        find="allowed = True",
        replace="allowed = False",
        tests=["tests/test_module.py"],
    )
    assert twice.check(tmp_path) == "its text occurs 2 times in module.py, not once"
