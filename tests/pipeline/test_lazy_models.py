"""Generated models load on first use, not all at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.lazy_models import bind_local_imports, make_models_lazy

ROOT = Path(__file__).resolve().parents[2]


def write_package(root: Path, init: str) -> Path:
    package = root / "pkg"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "models" / "__init__.py").write_text(init, encoding="utf-8")
    (package / "models" / "alpha.py").write_text("class Alpha:\n    pass\n", encoding="utf-8")
    (package / "models" / "beta.py").write_text("class Beta:\n    pass\n", encoding="utf-8")
    return package


def run(code: str, path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=path, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_models_import_on_first_use(tmp_path: Path) -> None:
    init = (
        '"""Models."""\n\nfrom .beta import Beta\nfrom .alpha import Alpha\n\n__all__ = ("Alpha", "Beta")\n'
    )
    package = write_package(tmp_path, init)
    assert make_models_lazy(package) == 2
    code = (
        "import sys; import pkg.models as m;"
        "print(sorted(k for k in sys.modules if k.startswith('pkg.models.')));"
        "print(m.Alpha.__name__, sorted(k for k in sys.modules if k.startswith('pkg.models.')), m.__all__)"
    )
    before, after = run(code, tmp_path).splitlines()
    assert before == "[]"
    assert after == "Alpha ['pkg.models.alpha'] ('Alpha', 'Beta')"


def test_unknown_name_is_an_attribute_error(tmp_path: Path) -> None:
    package = write_package(tmp_path, "from .alpha import Alpha\n")
    make_models_lazy(package)
    code = "import pkg.models as m\ntry:\n    m.Gamma\nexcept AttributeError as e:\n    print(e)"
    assert run(code, tmp_path) == "module 'pkg.models' has no attribute 'Gamma'"


def test_an_unexpected_import_is_refused(tmp_path: Path) -> None:
    package = write_package(tmp_path, "import os\nfrom .alpha import Alpha\n")
    with pytest.raises(PipelineError, match="unexpected import 'import os'"):
        make_models_lazy(package)


def test_one_clickhouse_operation_loads_only_its_models() -> None:
    code = (
        "import sys; import dbcloud_clickhouse_client.api.service.instance_get;"
        "print(len([k for k in sys.modules if k.startswith('dbcloud_clickhouse_client.models.')]))"
    )
    loaded = int(run(code, ROOT))
    assert 0 < loaded < 60


def test_imports_inside_functions_read_the_lazy_models(tmp_path: Path) -> None:
    package = write_package(tmp_path, '"""M."""\nfrom .alpha import Alpha\nfrom .beta import Beta\n')
    make_models_lazy(package)
    (package / "models" / "gamma.py").write_text(
        '"""Gamma."""\n\nfrom __future__ import annotations\n\nfrom ..models.alpha import Alpha\n\n\n'
        "class Gamma:\n"
        "    @classmethod\n"
        "    def from_dict(cls, d):\n"
        "        from ..models.beta import (\n"
        "            Beta as B,  # noqa: PLC0415\n"
        "        )\n"
        "        from . import alpha  # noqa: PLC0415\n"
        "        return (Alpha, B, alpha)\n"
        "\n"
        "    def to_dict(self):\n"
        "        from ..models.beta import Beta  # noqa: PLC0415\n"
        "        return {}\n",
        encoding="utf-8",
    )
    assert bind_local_imports(package) == 3
    text = (package / "models" / "gamma.py").read_text(encoding="utf-8")
    head = '"""Gamma."""\n\nfrom __future__ import annotations\nfrom pkg import models as _lazy_models\n'
    assert text.startswith(head), "the lazy package is imported once, at the top"
    assert "from ..models.alpha import Alpha\n" in text, "module-level imports stay as generated"
    assert "        B = _lazy_models.Beta\n        from pkg.models import alpha  # noqa: PLC0415\n" in text
    assert "    def to_dict(self):\n        return {}\n" in text, "an import the function never reads goes"
    code = (
        "import sys; from pkg.models.gamma import Gamma;"
        "print('pkg.models.beta' in sys.modules, [x.__name__ for x in Gamma.from_dict({})])"
    )
    assert run(code, tmp_path) == "False ['Alpha', 'Beta', 'pkg.models.alpha']", "Beta loads on first use"


def test_an_import_beyond_the_package_is_refused(tmp_path: Path) -> None:
    package = write_package(tmp_path, "")
    (package / "models" / "delta.py").write_text("def f():\n    from ... import x\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="beyond the top-level package"):
        bind_local_imports(package)
