"""Vendor pinned front-end files (htmx, htmx-ext-ws, idiomorph, Swagger UI) into ``static/vendor/``.

Entente serves its JavaScript itself (no CDN at runtime), so the files are committed.
This script makes them reproducible: it fetches each pinned package with ``npm pack``,
checks the tarball against the npm registry's sha512 integrity string, extracts one
file, checks that file's sha256 and writes it along with ``static/vendor/VERSIONS.txt``.

    python scripts/vendor_static.py          # (re)vendor, needs npm + registry access
    python scripts/vendor_static.py --check  # offline: verify committed files, exit 1 on drift
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.txt"


@dataclass(frozen=True)
class Pin:
    """One file taken from one exact npm package version."""

    package: str
    version: str
    integrity: str  # npm `dist.integrity` of the tarball
    member: str  # path inside the tarball
    dest: str  # path relative to the project root
    sha256: str  # of the extracted file
    license: str  # SPDX id, recorded in VERSIONS.txt
    license_evidence: str  # what `license_evidence()` must find in the tarball

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


PINS: tuple[Pin, ...] = (
    Pin(
        package="htmx.org",
        version="2.0.11",
        integrity=(
            "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
        ),
        member="package/dist/htmx.min.js",
        dest="static/vendor/htmx.min.js",
        sha256="d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717",
        license="0BSD",
        license_evidence="package.json license: 0BSD",
    ),
    Pin(
        package="htmx-ext-ws",
        version="2.0.4",
        integrity=(
            "sha512-LnOpFRL/2hInhdKl/9N0OJsb4GYQ5/teUdTHNZYY9ytYdxYEqjfLEe0MWgF3ODjfwGJRb4E95igAbU66te48ZA=="
        ),
        # Unminified (14.7 kB) so the extension we rely on stays readable in review.
        member="package/dist/ws.js",
        dest="static/vendor/htmx-ext-ws.js",
        sha256="dab17ec53b42135cc90ca3657a9be5e2aae6cceb3dbbf1952541aa4650fcb59e",
        license="0BSD",
        # 2.0.4's package.json has no `license` field; its LICENSE file is 0BSD.
        license_evidence="LICENSE: BSD Zero Clause License",
    ),
    # idiomorph with its htmx extension ("morph" swaps): live panels are morphed into the
    # page, so the fields a player is using keep their node, value and focus.
    Pin(
        package="idiomorph",
        version="0.8.0",
        integrity=(
            "sha512-R47JBL+6jHDQvcnbppIUtXXcxi5h6+wuCEEZXnRhUltsgzPFKzThL5PuHppP9ypJuy+7WawcY1TsSBD/iQbMhw=="
        ),
        # Unminified, like the websocket extension: readable in review.
        member="package/dist/idiomorph-ext.js",
        dest="static/vendor/idiomorph-ext.js",
        sha256="2e979f682792b5d928d5a69904dde6527de0cb0d4f680322b8317d5e3c05c326",
        license="0BSD",
        license_evidence="package.json license: 0BSD",
    ),
    # Swagger UI for the API documentation at /docs (FastAPI would load it from a CDN).
    Pin(
        package="swagger-ui-dist",
        version="5.35.0",
        integrity=(
            "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
        ),
        member="package/swagger-ui-bundle.js",
        dest="static/vendor/swagger-ui/swagger-ui-bundle.js",
        sha256="e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
        license="Apache-2.0",
        license_evidence="package.json license: Apache-2.0",
    ),
    Pin(
        package="swagger-ui-dist",
        version="5.35.0",
        integrity=(
            "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
        ),
        member="package/swagger-ui.css",
        dest="static/vendor/swagger-ui/swagger-ui.css",
        sha256="5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
        license="Apache-2.0",
        license_evidence="package.json license: Apache-2.0",
    ),
    # axe-core, for the accessibility tests only: never served to players.
    Pin(
        package="axe-core",
        version="4.14.1",
        integrity=(
            "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
        ),
        member="package/axe.min.js",
        dest="tests/browser/vendor/axe.min.js",
        sha256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c",
        license="MPL-2.0",
        license_evidence="package.json license: MPL-2.0",
    ),
)


class VendorError(Exception):
    """A download or verification step failed."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def render_versions() -> str:
    lines = [
        "# Generated by scripts/vendor_static.py -- do not edit by hand.",
        "# package\tversion\tsha256\tlicense\tfile\tsource",
    ]
    for pin in PINS:
        fields = (pin.package, pin.version, pin.sha256, pin.license, pin.dest, pin.member)
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


def npm_pack(pin: Pin, workdir: Path) -> bytes:
    """Download the package tarball via `npm pack` and return its bytes."""
    cmd = ["npm", "pack", pin.spec, "--pack-destination", str(workdir), "--ignore-scripts"]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise VendorError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.strip()}")
    tarballs = list(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise VendorError(f"expected one tarball from npm pack {pin.spec}, found {tarballs}")
    return tarballs[0].read_bytes()


def read_member(tar: tarfile.TarFile, name: str) -> bytes | None:
    try:
        fileobj = tar.extractfile(name)
    except KeyError:
        return None
    return None if fileobj is None else fileobj.read()


def license_evidence(tar: tarfile.TarFile) -> str:
    """package.json's `license` field, else the first line of the LICENSE file."""
    meta = read_member(tar, "package/package.json")
    license_field = json.loads(meta).get("license") if meta else None
    if license_field:
        return f"package.json license: {license_field}"
    text = read_member(tar, "package/LICENSE")
    first_line = text.decode("utf-8").strip().splitlines()[0] if text else "<none>"
    return f"LICENSE: {first_line}"


def extract(pin: Pin, tarball: Path) -> tuple[bytes, str]:
    """Return the pinned member's bytes and the package's licence evidence."""
    with tarfile.open(tarball, mode="r:gz") as tar:
        data = read_member(tar, pin.member)
        if data is None:
            raise VendorError(f"{pin.spec}: {pin.member} is not a regular file in the tarball")
        return data, license_evidence(tar)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def vendor() -> None:
    for pin in PINS:
        with tempfile.TemporaryDirectory(prefix="vendor-static-") as tmp:
            workdir = Path(tmp)
            tarball_bytes = npm_pack(pin, workdir)
            got = npm_integrity(tarball_bytes)
            if got != pin.integrity:
                raise VendorError(f"{pin.spec}: tarball integrity {got} != pinned {pin.integrity}")
            data, evidence = extract(pin, next(workdir.glob("*.tgz")))
        if evidence != pin.license_evidence:
            raise VendorError(f"{pin.spec}: {evidence!r} != pinned {pin.license_evidence!r}")
        digest = sha256_hex(data)
        if digest != pin.sha256:
            raise VendorError(f"{pin.spec}: {pin.member} sha256 {digest} != pinned {pin.sha256}")
        write_atomic(ROOT / pin.dest, data)
        print(f"wrote {pin.dest} ({pin.spec}, {len(data)} bytes, sha256 {digest})")
    write_atomic(VERSIONS_FILE, render_versions().encode("utf-8"))
    print(f"wrote {VERSIONS_FILE.relative_to(ROOT)}")


def check() -> list[str]:
    """Verify committed files without network access; return a list of problems."""
    problems: list[str] = []
    for pin in PINS:
        path = ROOT / pin.dest
        if not path.is_file():
            problems.append(f"{pin.dest}: missing")
            continue
        digest = sha256_hex(path.read_bytes())
        if digest != pin.sha256:
            problems.append(f"{pin.dest}: sha256 {digest} != pinned {pin.sha256} ({pin.spec})")
    if not VERSIONS_FILE.is_file():
        problems.append(f"{VERSIONS_FILE.relative_to(ROOT)}: missing")
    elif VERSIONS_FILE.read_text(encoding="utf-8") != render_versions():
        problems.append(f"{VERSIONS_FILE.relative_to(ROOT)}: out of date with the pins")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="verify committed files offline; exit 1 on mismatch"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(f"MISMATCH {problem}", file=sys.stderr)
        if not problems:
            print(f"ok: {len(PINS)} vendored files match their pinned sha256")
        return 1 if problems else 0
    try:
        vendor()
    except (VendorError, OSError, tarfile.TarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
