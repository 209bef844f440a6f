"""An answer of the flow set aside, typed at "Write your answer to 张强": never sent to the family (fix6at).

A family's reply to an open emergency is shown at once over an ordinary flow (a talk, an aid entry, a plan), which
is set aside (:mod:`bot.services.conversations`). 王老师 may have typed ``1`` for the talk's "学习情况？" just as it
arrived: that ``1`` opened the Reply, and her ``好`` (meant for "生活情况？") went to the grandfather (fix6y). So at
the answer, words that pick a choice of the question set aside (``好``, ``一般``, ``较差``) are not sent: she reads
that they were kept from him, and the answer is asked again (``取消`` brings the question set aside back).
"""

from __future__ import annotations

from bot.flows import typed as typed_answers
from bot.flows.common import Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text

NOT_SENT_MEANT = N_("“{words}” answers the question you were answering before {name}'s message, so it was not sent "
                    "to {name}. Write your answer to {name}; or choose Cancel, and that question comes back.")


def flow_answer(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """"Not sent" when ``typed`` picks a choice of the flow set aside under the answer being written; else None."""
    saved = next((e for e in ctx.conv.agenda if e["kind"] == "saved"), None)
    raw = saved["data"].get("prompt") if saved is not None else None
    if not raw:
        return None
    choices = [c for c in Prompt.from_dict(raw).choices if payloads.is_flow_choice(c.payload)]
    if not choices or typed_answers.matching(ctx, choices, typed) is None:
        return None
    return [say(NOT_SENT_MEANT, words=text(typed.strip()), name=text(str(ctx.values.get("writer") or "")))]
