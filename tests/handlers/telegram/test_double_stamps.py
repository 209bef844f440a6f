"""The strict Bot API double stamps a message as it arrived, when asked to (``benchmarks.delivery --kernel-stamps``).

Telegram stamps a call on its own servers, whatever the load of the machine
that sends it. The double shares that machine: on a loaded one its process
may read a request tens of milliseconds after the bytes came, and calls that
arrived more than a second apart were then stamped within one second — 429s
no platform would give, the ones left in the benchmark after the pacer's fix.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request

from tests.support.botapi_double import BotApiDouble


def _post(double: BotApiDouble, chat: int) -> None:
    body = urllib.parse.urlencode({"chat_id": chat, "text": "hi"}).encode()
    urllib.request.urlopen(f"{double.api_url}{double.token}/sendMessage", body, timeout=5).read()  # noqa: S310 — http to the local double


def _stamped_while_busy(kernel_stamps: bool) -> float:
    """Seconds from sending a message to its stamp when the double only gets to it 0.3 s later."""
    double = BotApiDouble(strict=True, kernel_stamps=kernel_stamps).start()
    try:
        with double._cond:  # noqa: SLF001 — the double busy: it takes the request once this is released
            sent_at = time.monotonic()
            thread = threading.Thread(target=_post, args=(double, 42))
            thread.start()
            time.sleep(0.3)
        thread.join(5)
        [message] = double.sent
        return message.at - sent_at
    finally:
        double.close()


def test_a_message_is_stamped_when_its_bytes_arrived_not_when_the_busy_double_read_it() -> None:
    assert _stamped_while_busy(kernel_stamps=True) < 0.15
    assert _stamped_while_busy(kernel_stamps=False) >= 0.3  # the stamp of a loaded double's own process
