"""Files the bot or a user sent, kept on disk so getFile can hand out a local path.

Like the official Bot API server in `--local` mode, getFile answers with an absolute
`file_path`; python-telegram-bot then reads the file from disk instead of downloading it.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    path: Path
    file_name: str
    mime_type: str
    size: int

    def as_document(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_name": self.file_name, "mime_type": self.mime_type,
                "file_size": self.size}

    def as_file(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": self.size, "file_path": str(self.path)}


class FileStore:
    """Stores bytes under a private temporary folder, removed when the emulator stops."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="tg-emulator-")
        self._files: dict[str, StoredFile] = {}

    def add(self, content: bytes, file_name: str, mime_type: str) -> StoredFile:
        number = len(self._files) + 1
        digest = hashlib.sha256(content).hexdigest()[:16]
        file_id = f"BQACAgIAAx{number:06d}{digest}"
        # The stored name is ours; the sender's name is only reported, never used as a path.
        path = Path(self._folder.name) / f"file_{number}"
        path.write_bytes(content)
        stored = StoredFile(file_id, f"AgAD{digest}", path, file_name, mime_type, len(content))
        self._files[file_id] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def close(self) -> None:
        self._folder.cleanup()
