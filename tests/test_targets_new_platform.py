"""A new target platform is a catalogue entry plus its toolchain data, and no code.

LoongArch64 Linux (manylinux and musllinux) is not in the catalogue. Here it is added as data
only: a :class:`Family` such as ``catalogue._linux_families`` writes for an entry of
``LINUX_ARCHES``, and an ``arches.json`` entry. Every layer then handles it: targets (tags and
markers), classify and remedy (choice, reasons, near misses), binary (the platform's binary
format) and toolchain (setup steps, Rust triple, image, Meson cross file, build environment).
"""

from __future__ import annotations

import io
import json
from importlib import resources

import pytest

import wheelscout.targets
from tests.support.sdists import NUMPY_LIKE, make_tar
from wheelscout.binary.suffixes import platform_family
from wheelscout.classify import TagRanker, choose, parse_files
from wheelscout.classify.reasons import explain_choice
from wheelscout.model.build import Backend
from wheelscout.model.project import DistFile
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.remedy.groups import describe_groups, group_files
from wheelscout.remedy.nearmiss import check_files
from wheelscout.sdist import inspect_sdist
from wheelscout.targets import make_target
from wheelscout.targets.catalogue import Family
from wheelscout.toolchain import _arch, build_environment, linux_image, setup_steps
from wheelscout.toolchain.shell import render

LOONGARCH = {
    "rust": {
        "manylinux": ["loongarch64-unknown-linux-gnu"],
        "musllinux": ["loongarch64-unknown-linux-musl"],
    },
    "docker": "linux/loong64",
    "meson": ["loongarch64", "loongarch64", "loongarch64-linux-gnu"],
}


@pytest.fixture
def loongarch(monkeypatch: pytest.MonkeyPatch) -> None:
    families = (
        Family(
            name="linux-loongarch64",
            os=OperatingSystem.MANYLINUX,
            arch="loongarch64",
            machine="loongarch64",
            description="Linux LoongArch64, glibc (manylinux)",
            aliases=("manylinux-loongarch64",),
        ),
        Family(
            name="musllinux-loongarch64",
            os=OperatingSystem.MUSLLINUX,
            arch="loongarch64",
            machine="loongarch64",
            description="Linux LoongArch64, musl (musllinux)",
        ),
    )
    monkeypatch.setattr(wheelscout.targets, "FAMILIES", (*wheelscout.targets.FAMILIES, *families))
    shipped = resources.files("wheelscout.toolchain").joinpath("arches.json")
    document = json.loads(shipped.read_text("utf-8"))
    document["arches"]["loongarch64"] = LOONGARCH
    table = _arch.parse_arches(json.dumps(document))
    monkeypatch.setattr(_arch, "_table", lambda: table)


def _files(*names: str) -> list[DistFile]:
    return [DistFile(filename=n, url=f"https://files.invalid/{n}") for n in names]


DEMO = _files(
    "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
    "demo-1.0-cp312-cp312-manylinux_2_17_loongarch64.whl",
    "demo-1.0-cp312-cp312-musllinux_1_2_loongarch64.whl",
    "demo-1.0.tar.gz",
)


@pytest.mark.usefixtures("loongarch")
@pytest.mark.parametrize(
    "spelling", ["linux-loongarch64", "manylinux_2_28_loongarch64"], ids=["name", "tag"]
)
def test_targets_resolve_it(spelling: str) -> None:
    target = make_target(spelling, "3.12")

    assert target.platform.name == "manylinux_2_28_loongarch64"
    platforms = [t.platform for t in target.tags]
    assert platforms[0] == "linux_loongarch64"
    assert "manylinux_2_17_loongarch64" in platforms
    assert "manylinux2014_loongarch64" in platforms
    assert target.markers["platform_machine"] == "loongarch64"


@pytest.mark.usefixtures("loongarch")
def test_classify_and_remedy_use_it() -> None:
    target = make_target("musllinux-loongarch64", "3.12")
    parsed = parse_files(DEMO, "demo")

    choice = choose(parsed, TagRanker(target))
    reason = explain_choice("demo", "1.0", parsed, choice, target)
    assert choice.install == "wheel"
    assert reason.code is ReasonCode.WHEEL
    assert reason.text.endswith("demo-1.0-cp312-cp312-musllinux_1_2_loongarch64.whl")

    glibc = make_target("manylinux_2_17_loongarch64", "3.12")
    newer = _files("demo-1.0-cp312-cp312-manylinux_2_31_loongarch64.whl")
    checks = check_files(parse_files(newer, "demo"), glibc)
    messages = [p.message for c in checks for t in c.tags for p in t.problems]
    assert messages == ["manylinux_2_31_loongarch64 needs glibc 2.31 > target 2.17"]
    assert "manylinux loongarch64" in describe_groups(group_files(parsed, glibc))


@pytest.mark.usefixtures("loongarch")
def test_binary_knows_its_format() -> None:
    assert platform_family("manylinux_2_28_loongarch64") == "linux"


@pytest.mark.usefixtures("loongarch")
def test_toolchain_builds_for_it() -> None:
    target = make_target("linux-loongarch64", "3.12")
    requirements = inspect_sdist(io.BytesIO(make_tar(NUMPY_LIKE)))

    assert linux_image(target.platform) == "manylinux_2_28_loongarch64"
    steps = "\n".join(str(step) for step in setup_steps(requirements, target))
    assert "quay.io/pypa/manylinux_2_28_loongarch64" in steps
    assert _environment(target, "maturin").count("--target loongarch64-unknown-linux-gnu") == 1
    assert "--compatibility manylinux_2_28 --zig" in _environment(target, "maturin")
    assert "cpu_family = 'loongarch64'" in _environment(target, "meson-python")
    assert "--platform linux/loong64" in _environment(target, "setuptools")


def _environment(target: Target, backend: Backend) -> str:
    environment = build_environment(target, backend, host_os="linux", host_arch="x86_64")
    return render(environment, "bash")
