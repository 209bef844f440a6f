"""``/web`` (后台): a one-time sign-in link to the dashboard, sent to the person in their own chat.

Only the people the dashboard is for get one (a school's admins, leaders and
safeguarding lead; officials). The link works once, for 15 minutes
(``bot.services.web_auth``); it is never sent in a group chat (the runner
answers group chats with "talk to me in private").
"""

from __future__ import annotations

import logging

from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import web_auth

log = logging.getLogger(__name__)

NOT_FOR_YOU = N_("The dashboard is for the school's leaders and admins and for the education bureau and town "
                 "government.")
NOT_SERVED = N_("The dashboard is not served in this demo (its input is not typed at a terminal), so a sign-in link "
                "would open nothing. To try the dashboard, start the demo with: guanai demo --web")
LINK = N_("Your sign-in link to the dashboard. It works once, within 15 minutes; do not pass it on:\n{url}")


def web(ctx: Ctx, arg: str) -> list[Prompt]:
    """``/web``."""
    actor = ctx.bound()
    if not web_auth.may_sign_in(actor.roles):
        return [say(NOT_FOR_YOU)]
    if not ctx.settings.web_served:
        return [say(NOT_SERVED)]
    token = web_auth.create_link(ctx.uow, actor.person_id, ctx.now)
    log.info("person %s asked for a dashboard sign-in link", actor.person_id)
    return [say(LINK, url=text(f"{ctx.settings.web_url}/web/login/{token}"))]
