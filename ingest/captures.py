"""Byte-for-byte storage of every capture, named by time and sha256.

A capture is written before it is parsed, so a parser bug never loses the
evidence, and `--offline` can always replay what was last seen. Captures that
fail to load are moved to `failed/`, so replay picks the last good one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.base import CaptureMeta
from kernel.files import atomic_write

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class StoredCapture:
    """A capture on disk plus the metadata parse needs."""

    path: Path
    sha256: str
    meta: CaptureMeta

    def read(self) -> bytes:
        return self.path.read_bytes()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _is_capture(path: Path) -> bool:
    """A stored capture: a file with its sidecar; not a sidecar, a temporary file or anything hidden."""
    name = path.name
    return (
        not name.startswith(".")
        and not name.endswith((".meta.json", ".tmp"))
        and path.is_file()
        and path.with_name(name + ".meta.json").is_file()
    )


def store(raw_dir: Path, source: str, content: bytes, meta: CaptureMeta) -> StoredCapture:
    """Write `content` under `raw_dir/source/` unless the same bytes are already there."""
    folder = raw_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(content)
    for existing in folder.glob(f"*_{digest[:16]}_*"):
        if _is_capture(existing):
            return load_stored(existing)
    stem = _SAFE.sub("_", Path(meta.filename or meta.origin.rstrip("/").split("/")[-1] or "capture").name)
    name = f"{meta.captured_at:%Y%m%dT%H%M%S}_{digest[:16]}_{stem[-80:]}"
    path = folder / name
    atomic_write(path, content)
    sidecar = {
        "origin": meta.origin,
        "captured_at": meta.captured_at.isoformat(),
        "filename": meta.filename,
        "sha256": digest,
        "bytes": len(content),
    }
    atomic_write(path.with_name(name + ".meta.json"), json.dumps(sidecar, indent=2).encode())
    return StoredCapture(path, digest, meta)


def load_stored(path: Path) -> StoredCapture:
    """A stored capture with the metadata from its sidecar."""
    sidecar = json.loads(path.with_name(path.name + ".meta.json").read_text())
    meta = CaptureMeta(
        origin=sidecar["origin"],
        captured_at=datetime.fromisoformat(sidecar["captured_at"]),
        filename=sidecar.get("filename", ""),
    )
    return StoredCapture(path, sidecar["sha256"], meta)


def list_stored(raw_dir: Path, source: str) -> list[StoredCapture]:
    """Good captures of a source, oldest first (the order a replay loads them)."""
    folder = raw_dir / source
    if not folder.is_dir():
        return []
    found = [load_stored(p) for p in folder.iterdir() if _is_capture(p)]
    return sorted(found, key=lambda c: (c.meta.captured_at, c.path.name))


def quarantine(capture: StoredCapture) -> None:
    """Move a capture that failed to load out of the replay set (kept for diagnosis)."""
    failed = capture.path.parent / "failed"
    failed.mkdir(exist_ok=True)
    for p in (capture.path, capture.path.with_name(capture.path.name + ".meta.json")):
        if p.exists():
            os.replace(p, failed / p.name)
