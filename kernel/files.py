"""Write a file so that readers see the old one or the new one, and nobody can redirect the write.

Every file flop-tracker publishes or keeps (the three CSV files, exports, charts, stored captures,
the decisions seeds) goes through `atomic_write`: the bytes go to a temporary file in the target's
folder, which is fsynced and renamed over the target, and then the folder is fsynced so the rename
survives a crash.

The temporary file comes from `tempfile.mkstemp`: an unpredictable name, created with
O_CREAT|O_EXCL, so a symlink or file planted at a guessable name (`.above_1e25_flop.csv.tmp` used to
be one) can never receive our bytes. The rename replaces a symlink at the target itself, never the
file it points to. mkstemp creates files readable by their owner only; the result gets the mode an
ordinary `open(path, "w")` would give it (the existing file's mode, else 0666 minus the umask).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

Content = bytes | str | Callable[[BinaryIO], None]


def _umask() -> int:
    """The process's umask, read without changing it (Linux); else by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # pragma: no cover - platforms without /proc
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    return 0o666 & ~_umask()  # a link (or anything else) at the target is replaced, not followed


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, content: Content) -> Path:
    """Replace `path` with `content` (text as UTF-8, bytes, or a function writing to a binary handle).

    The folder is created when missing. On any failure the old file stays as it was and no
    temporary file is left behind. Returns `path`.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        if folder.exists():  # mkdir would say "File exists", which misleads
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        folder.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    return path
