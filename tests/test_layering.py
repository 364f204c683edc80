"""The layering rules of DESIGN.md, checked by import-linter with the contracts in pyproject.toml."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import hub

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
OUTSIDE_THE_DOMAIN = {"web", "cli"}


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_layering_contracts_are_kept() -> None:
    result = lint_imports(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_layering_domain_contract_covers_every_package_of_hub_but_web_and_cli() -> None:
    modules = {f"hub.{info.name}" for info in pkgutil.iter_modules(hub.__path__) if info.name not in OUTSIDE_THE_DOMAIN}
    assert set(contracts()["domain"]["source_modules"]) == modules  # type: ignore[arg-type]


def test_layering_check_reports_a_forbidden_import_it_finds(tmp_path: Path) -> None:
    """The control: hub.web does import starlette, so a contract forbidding it must break and name the import."""
    config = tmp_path / "layering.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["hub", "schema", "connectors"]\n'
        "include_external_packages = true\n\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "hub.web imports no starlette"\n'
        'type = "forbidden"\n'
        'source_modules = ["hub.web"]\n'
        'forbidden_modules = ["starlette"]\n'
    )
    result = lint_imports(config)
    assert result.returncode != 0
    assert "hub.web imports no starlette BROKEN" in result.stdout
    assert "hub.web.app -> starlette" in result.stdout
