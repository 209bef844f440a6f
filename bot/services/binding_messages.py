"""What the binding lifecycle says (``bot.services.bindings``, ``bot.services.binding_expiry``): message ids only.

Parameters: ``channel`` is a nested channel label (``msg``), ``when`` /
``bound`` / ``since`` / ``expires`` are ``dt`` values, names are ``text``.
"""

from __future__ import annotations

from bot.messages.prompt import N_

NEW_ACCOUNT_TO_OTHERS = N_(
    "A new {channel} account was linked to you at {when}. Reminders and messages now go to the account "
    "you used last. If this was not you, send /me to remove it, or call the school.")
ALSO_LINKED = N_("You are also linked on: {accounts}. Reminders and messages go to the account you used last; "
                 "send /me to see or remove linked accounts.")
ACCOUNT_SINCE = N_("{channel} (linked {when})")
NEW_ACCOUNT_TO_ADMINS = N_("{name} ({roles}) linked a new {channel} account at {when} and now has {count} linked "
                           "accounts. To remove it, send: /unbind {name}")
CONFIRM_QUESTION = N_("{name} ({roles}) linked a {channel} account at {when} and it needs your confirmation. "
                      "Was it them?")
CONFIRM = N_("Confirm")
REFUSE = N_("Refuse")
CONFIRMED_REPLY = N_("Confirmed: {name}'s {channel} account.")
REFUSED_REPLY = N_("Refused: this {channel} account of {name} is unlinked.")
ALREADY_DECIDED = N_("This account was already confirmed, refused or unlinked.")
NOT_ADMIN_DECISION = N_("Only the school's admins can confirm accounts.")
CONFIRMED_TO_ACCOUNT = N_("The school has confirmed this chat. Send /help to see what you can do.")
REFUSED_TO_ACCOUNT = N_("The school did not confirm linking this chat, so it is unlinked. If you have questions, "
                        "please contact the school.")
REFUSED_TO_PERSON = N_("The school refused a {channel} account that tried to link to you at {when}. If it was "
                       "you, please contact the school.")
UNLINKED_BY_SELF = N_("This chat is no longer linked to {name}: it was unlinked from another of their accounts. "
                      "To link it again, ask the school for a new invite code.")
UNLINKED_BY_ADMIN = N_("School admin {admin} unlinked this chat from you. To link it again, ask the school for a "
                       "new invite code.")
UNLINKED_BY_SCHOOL = N_("The school unlinked this chat from you. To link it again, ask the school for a new "
                        "invite code.")
ADMIN_UNLINKED_TO_PERSON = N_("School admin {admin} unlinked your {channel} account (linked {bound}).")
SCHOOL_UNLINKED_TO_PERSON = N_("The school unlinked your {channel} account (linked {bound}).")
EXPIRY_WARNING = N_("This chat has not been used since {since} and will be unlinked on {expires}. To keep it, "
                    "send 我的 or /me.")
EXPIRED_TO_ACCOUNT = N_("This chat was not used for more than {days} days and is no longer linked to {name}. "
                        "To link it again, ask the school for a new invite code.")
EXPIRED_TO_PERSON = N_("Your {channel} account (linked {bound}) was not used for more than {days} days and is "
                       "no longer linked.")
EXPIRED_TO_ADMINS = N_("{name} ({roles}) no longer has any linked account (not used for more than {days} days). "
                       "Please phone them: {phone}.")
