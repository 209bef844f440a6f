"""The strict Bot API double stamps a message as it arrived, when asked to (``benchmarks.delivery --kernel-stamps``).

Telegram stamps a call on its own servers, whatever the load of the machine
that sends it. The double shares that machine: on a loaded one its process
may read a request tens of milliseconds after the bytes came, and calls that
arrived more than a second apart were then stamped within one second — 429s
no platform would give, the ones left in the benchmark after the pacer's fix.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse

from tests.support.botapi_double import BotApiDouble


def _post(double: BotApiDouble, chat: int, sent: list[float], done: threading.Event) -> None:
    """Send one message over a socket of our own; note when its last byte was handed to the kernel."""
    body = urllib.parse.urlencode({"chat_id": chat, "text": "hi"}).encode()
    head = (f"POST /bot{double.token}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", double.port), timeout=10) as sock:
        sock.sendall(head + body)
        sent.append(time.monotonic())
        done.set()
        sock.recv(65536)  # the answer, once the double got to it


def _stamped_while_busy(kernel_stamps: bool) -> tuple[float, float]:
    """(stamp − sent, stamp − the double free again) of a message sent while the double is busy for 0.3 s."""
    double = BotApiDouble(strict=True, kernel_stamps=kernel_stamps).start()
    try:
        sent: list[float] = []
        done = threading.Event()
        thread = threading.Thread(target=_post, args=(double, 42, sent, done))
        with double._cond:  # noqa: SLF001 — the double busy: it takes the request once this is released
            thread.start()
            assert done.wait(10)
            time.sleep(0.3)
            free = time.monotonic()
        thread.join(10)
        [message] = double.sent
        return message.at - sent[0], message.at - free
    finally:
        double.close()


def test_a_message_is_stamped_when_its_bytes_arrived_not_when_the_busy_double_read_it() -> None:
    after_sent, _ = _stamped_while_busy(kernel_stamps=True)
    assert after_sent <= 0.001  # received by the kernel before the sender's call returned (the clocks' rounding)
    _, after_free = _stamped_while_busy(kernel_stamps=False)
    assert after_free >= 0  # the stamp of a loaded double's own process: when it got to the message
