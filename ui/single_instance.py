"""One window per profile, and files handed to it: a .kh75 opened while the app is already running
on that profile goes to the running window (over a local socket named after the profile's
folder) instead of a second window or a "đang mở" message."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

PATH_LIMIT = 4096


def server_name(folder: Path) -> str:
    digest = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:20]
    return f"kh75-{digest}"


class FileReceiver(QObject):
    """Listens for paths sent by a second start on the same profile; `handler(path)` opens one."""

    def __init__(self, folder: Path, handler: Callable[[Path], None], parent=None):
        super().__init__(parent)
        self.handler = handler
        self.server = QLocalServer(self)
        name = server_name(folder)
        QLocalServer.removeServer(name)  # a socket file left by a killed run
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        raw = bytes(socket.readLine(PATH_LIMIT)).decode("utf-8", "replace").strip()
        if raw:
            self.handler(Path(raw))


def send_to_running(folder: Path, path: Path, timeout_ms: int = 3000) -> bool:
    """Hand `path` to the app already running on `folder`; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(str(Path(path).resolve()).encode("utf-8") + b"\n")
    socket.flush()  # often writes it all at once, leaving nothing for waitForBytesWritten
    sent = socket.bytesToWrite() == 0 or socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return sent
