"""What each ``build`` verdict's source build needs on its target (issue: predict the build).

Each sdist is downloaded once per run (hash-checked), inspected statically (its code is never
run) and the inspection is cached by sha256; the setup steps depend on the target.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from wheelscout.errors import WheelscoutError
from wheelscout.index import BlockingIndexClient
from wheelscout.model.build import BuildNeeds, BuildRequirements
from wheelscout.model.project import DistFile
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.sdist import inspect_sdist
from wheelscout.toolchain import for_target, setup_steps
from wheelscout.toolchain.render import requirements_as_dict, requirements_from_dict

__all__ = ["attach_build_needs"]


def _inspect(
    client: BlockingIndexClient,
    file: DistFile,
    project: str,
    on_file: Callable[[str], None] | None = None,
) -> BuildRequirements | str:
    if on_file is not None:
        on_file(file.filename)
    digest = file.hashes.get("sha256")
    key = f"inspect-sdist:v2:{digest}" if digest else None  # v2: libraries' platforms
    if key is not None and (stored := client.recall(key)) is not None:
        return requirements_from_dict(json.loads(stored))
    try:
        body = client.download(file)
    except WheelscoutError as exc:
        return f"could not download {file.filename}: {exc}"
    found = inspect_sdist(
        io.BytesIO(body), filename=file.filename, project=project, expected_sha256=digest
    )
    if key is not None and found.complete:
        client.remember(key, json.dumps(requirements_as_dict(found)).encode())
    return found


def _with_needs(
    verdict: PackageVerdict, found: BuildRequirements | str, result: TargetResult
) -> PackageVerdict:
    if isinstance(found, str):
        return dataclasses.replace(verdict, build=BuildNeeds(requirements=None, unknown=found))
    needs = for_target(found, result.target)  # not another OS's libraries
    return dataclasses.replace(
        verdict, build=BuildNeeds(requirements=needs, steps=setup_steps(needs, result.target))
    )


def attach_build_needs(
    results: Sequence[TargetResult],
    client: BlockingIndexClient,
    on_file: Callable[[str], None] | None = None,
) -> list[TargetResult]:
    """``results`` with ``build`` on every verdict that builds from an sdist;
    ``on_file`` hears each sdist's filename as its inspection starts (progress)."""
    wanted = {
        v.file.url: (v.file, v.name)
        for r in results
        for v in r.packages
        if v.install == "build"
        and v.file is not None
        and v.file.filename.endswith((".tar.gz", ".zip", ".tar.bz2"))
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = dict(
            zip(
                wanted,
                pool.map(lambda item: _inspect(client, item[0], item[1], on_file), wanted.values()),
                strict=True,
            )
        )
    return [
        dataclasses.replace(
            r,
            packages=tuple(
                _with_needs(v, found[v.file.url], r)
                if v.file is not None and v.file.url in found
                else v
                for v in r.packages
            ),
        )
        for r in results
    ]
