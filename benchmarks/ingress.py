"""Benchmark: what a 512 MiB unauthenticated POST costs the server (issue 10, item 7).

Starts the real ASGI app under uvicorn in a child process (the WeChat
callback and the Telegram webhook mounted), streams a body of ``--mib`` MiB
to ``/wechat/callback`` (chunked, no length) and to ``/telegram/webhook``
(with a ``Content-Length``), and prints per request the status, the bytes
the server took before answering, the time to the answer, and the server
process's peak resident memory (``VmHWM``) before and after. ``--max-body``
raises the cap (e.g. to 1 GiB, to see what an uncapped server would spend).
Asserts nothing.

Usage::

    python -m benchmarks.ingress --mib 512
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 64 * 1024


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


def _serve(port: int, max_body: int) -> None:  # in the child process
    import uvicorn

    from bot.handlers.wechat.inbound import CallbackAnswer
    from bot.store.db import make_engine
    from bot.web.app import create_app

    class Callback:
        async def verify(self, query: dict) -> CallbackAnswer:
            return CallbackAnswer(200, "")

        async def receive(self, query: dict, body: bytes) -> CallbackAnswer:
            return CallbackAnswer(200, "success")

    async def telegram_update(data: dict) -> None:
        return None

    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/ingress.db")
    app = create_app(engine, telegram_update=telegram_update, webhook_secret="bench",  # noqa: S106 — a local benchmark
                     wechat_callbacks={"wechat": Callback()}, max_body=max_body)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _post(port: int, path: str, total: int, *, chunked: bool) -> tuple[str, int, float]:
    """Send a POST of ``total`` bytes; returns (status line, bytes sent, seconds until the answer)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(3.0)  # the server stops reading: sending blocks, then we read its answer
        length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: bench\r\nX-Telegram-Bot-Api-Secret-Token: bench\r\n"
                     f"{length}\r\n\r\n".encode())
        sent = 0
        block = b"x" * CHUNK
        try:
            while sent < total:
                data = f"{CHUNK:x}\r\n".encode() + block + b"\r\n" if chunked else block
                sock.sendall(data)
                sent += CHUNK
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass
        try:
            answer = sock.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
        except (TimeoutError, ConnectionResetError):
            answer = "(no answer)"
    return answer, sent, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=512)
    parser.add_argument("--max-body", type=int, default=64 * 1024)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve(args.serve, args.max_body)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.ingress", "--serve", str(port),  # noqa: S603
                               "--max-body", str(args.max_body)], env=dict(os.environ))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.05)
        print(f"body cap {args.max_body} bytes; server pid {server.pid}; peak RSS at rest "
              f"{_peak_kib(server.pid) / 1024:.1f} MiB")
        total = args.mib * 1024 * 1024
        for path, chunked in (("/wechat/callback", True), ("/telegram/webhook", False)):
            status, sent, seconds = _post(port, path, total, chunked=chunked)
            print(f"POST {path} {args.mib} MiB {'chunked' if chunked else 'with Content-Length'}: {status!r}; "
                  f"client got {sent / 1024 / 1024:.2f} MiB out before the server stopped reading; "
                  f"{seconds:.2f} s; server peak RSS {_peak_kib(server.pid) / 1024:.1f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
