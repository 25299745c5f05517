"""Production code must never read the generator's ground truth (import-linter contract)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = "Production code never imports the synthetic ground truth"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint_imports(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def contract_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(CONTRACT))


def test_the_contract_is_declared_and_kept_by_the_code_as_it_is():
    result = run_lint_imports(ROOT, ROOT / "src")
    assert "KEPT" in contract_line(result.stdout), result.stdout


def test_the_contract_breaks_when_a_production_module_imports_the_ground_truth(tmp_path):
    shutil.copytree(
        ROOT / "src" / "heard",
        tmp_path / "src" / "heard",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    leaky = tmp_path / "src" / "heard" / "people" / "normalise.py"
    leaky.write_text(leaky.read_text() + "\nfrom heard.sim import truth as _peek  # noqa\n")
    result = run_lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "BROKEN" in contract_line(result.stdout), result.stdout
