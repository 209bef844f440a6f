"""Console rendering, a console :class:`~bot.services.ports.Sender`, and a line-by-line chat session.

Prompts are shown as text with numbered choices (``1. 好 2. 一般 3. 需要帮助``);
the person answers with the number (the flows map it to the current
question's choice, as for WeChat) or types text and commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.adapters.private_files import private_folder, write_new_private
from bot.domain.enums import Channel
from bot.flows.runner import Flows, Inbound, Reply
from bot.i18n import render
from bot.messages.prompt import Attachment, Prompt


def render_text(prompt: Prompt, locale: str, timezone: str = "Asia/Shanghai") -> str:
    """A prompt as console text: the message, then its choices numbered on one line."""
    rendered = render(prompt, locale, timezone)
    if not rendered.choices:
        return rendered.text
    labels = [label for label, _payload in rendered.choices]
    if any(c.typed for c in prompt.choices) and all(f"“{label}”" in rendered.text for label in labels):
        return rendered.text  # the question names the words to type itself ("type “是我” or “不是我”")
    if any(c.typed for c in prompt.choices):  # an irreversible answer: typed as words, never a number
        return f"{rendered.text}\n" + " / ".join(f"“{label}”" for label, _payload in rendered.choices)
    numbered = " ".join(
        f"{i}. {label}" for i, (label, _payload) in enumerate(rendered.choices, start=prompt.first_number))
    return f"{rendered.text}\n{numbered}"


EXPORT_DIR = Path("guanai-files")
"""Where the console saves the files a reply carries (exports, charts), under the working directory."""


def save_attachment(attachment: Attachment, folder: Path = EXPORT_DIR) -> Path:
    """Save a reply's file as the terminal's way of "sending" it (folder 0700, file 0600); returns where it went.

    A file of the same name (another person's export that day) is kept: this one gets ``-2``… (issue 9).
    """
    private_folder(folder)
    # A name, never a path from elsewhere; 0600: an export holds children's data.
    return write_new_private(folder / Path(attachment.filename).name, attachment.data)


class ConsoleSender:
    """Prints outgoing messages (outbox drains, reminders) to a stream.

    Args:
        stream: where to print (``sys.stdout``).
        channel: the channel name it serves (``console``).
    """

    def __init__(self, stream: TextIO, channel: str = Channel.CONSOLE.value) -> None:
        self.stream = stream
        self.channel = channel
        self.has_buttons = False  # choices are numbered; "1" answers them

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Print ``prompt`` for ``account_id`` (never fails: a terminal cannot block the bot)."""
        self.stream.write(f"[→ {account_id}]\n{render_text(prompt, locale, timezone)}\n\n")
        self.stream.flush()


class ConsoleSession:
    """One person chatting in the terminal: each input line is one inbound message.

    Args:
        flows: the flow runner.
        account_id: the console account (bound like any chat account).
        out: where replies are printed.
    """

    def __init__(self, flows: Flows, account_id: str, out: TextIO) -> None:
        self.flows = flows
        self.account_id = account_id
        self.out = out

    def send_line(self, line: str) -> Reply:
        """Handle one typed line and print the reply."""
        reply = self.flows.handle(
            Inbound(channel=Channel.CONSOLE.value, account_id=self.account_id, text=line.rstrip("\r\n"))
        )
        for prompt in reply.prompts:
            self.out.write(render_text(prompt, reply.locale, reply.timezone) + "\n\n")
            if prompt.attachment is not None:
                self.out.write(f"[{save_attachment(prompt.attachment)}]\n\n")
        self.out.flush()
        return reply

    def run(self, lines: Iterable[str], prompt: str = "> ") -> None:
        """Read lines (``sys.stdin``, a pipe or a list) until they end or ``/quit``."""
        for line in lines:
            if line.strip() in ("/quit", "/exit", "退出"):
                break
            if not line.strip():
                continue
            self.out.write(f"{prompt}{line.rstrip()}\n")
            self.send_line(line)
