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
from datetime import UTC, datetime
from pathlib import Path

from ingest.base import CaptureMeta
from kernel.files import atomic_write

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
HTTP_FIELDS = ("final_url", "content_type", "etag", "last_modified_header")


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
    # A live capture also says where the bytes finally came from and how to ask for them again.
    sidecar.update({key: getattr(meta, key) for key in HTTP_FIELDS if getattr(meta, key)})
    atomic_write(path.with_name(name + ".meta.json"), json.dumps(sidecar, indent=2).encode())
    return StoredCapture(path, digest, meta)


def http_date(text: str) -> datetime | None:
    """An HTTP date (`Thu, 11 Dec 2025 10:00:00 GMT`) as naive UTC, or None when absent or unreadable."""
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def load_stored(path: Path) -> StoredCapture:
    """A stored capture with the metadata from its sidecar."""
    sidecar = json.loads(path.with_name(path.name + ".meta.json").read_text())
    meta = CaptureMeta(
        origin=sidecar["origin"],
        captured_at=datetime.fromisoformat(sidecar["captured_at"]),
        filename=sidecar.get("filename", ""),
        last_modified=http_date(sidecar.get("last_modified_header", "")),
        **{key: str(sidecar[key]) for key in HTTP_FIELDS if sidecar.get(key)},
    )
    return StoredCapture(path, sidecar["sha256"], meta)


def list_stored(raw_dir: Path, source: str) -> list[StoredCapture]:
    """Good captures of a source, oldest first (the order a replay loads them)."""
    folder = raw_dir / source
    if not folder.is_dir():
        return []
    found = [load_stored(p) for p in folder.iterdir() if _is_capture(p)]
    return sorted(found, key=lambda c: (c.meta.captured_at, c.path.name))


def newest_for_origin(raw_dir: Path, source: str, origin: str) -> StoredCapture | None:
    """The newest good capture fetched from `origin`: what a conditional request asks about."""
    found = [c for c in list_stored(raw_dir, source) if c.meta.origin == origin]
    return found[-1] if found else None


def quarantine(capture: StoredCapture) -> None:
    """Move a capture that failed to load out of the replay set (kept for diagnosis)."""
    failed = capture.path.parent / "failed"
    failed.mkdir(exist_ok=True)
    for p in (capture.path, capture.path.with_name(capture.path.name + ".meta.json")):
        if p.exists():
            os.replace(p, failed / p.name)
