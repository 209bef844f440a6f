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
NOT_TOLD_PHONE = N_("{name}'s {channel} account could not be told: WeChat lets the school write to it only within "
                    "48 hours of its last message, and no notice template is set up. Please phone {name}: {phone}.")
EXPIRED_TO_ADMINS = N_("{name} ({roles}) no longer has any linked account (not used for more than {days} days). "
                       "Please phone them: {phone}.")
# A new account of a person who already has one is on probation (bot.services.binding_probation).
# Confirming gives the new chat the children's alerts: the answer is typed words, never a bare number (fix9ab).
PROBATION_ASK = N_("A new {channel} account was linked to you at {when}. Until you confirm it, it gets no messages "
                   "and nothing about the children; alerts keep coming here. Did you link it yourself? To avoid "
                   "mistakes, answer in words, not with a number: type “{yes}” or “{no}”.")
IT_WAS_ME = N_("It was me")
NOT_ME = N_("It was not me")
# The school's question: confirming gives the new chat the children's alerts, so it is typed words, never a
# bare number — a teacher's 1 typed twice could confirm a stranger's account (fix9ac, as fix9ab for the person).
PROBATION_TO_SCHOOL = N_("{name} ({roles}) linked a new {channel} account at {when}. It gets nothing until it is "
                         "confirmed, and {name} was asked on their other account. If they do not answer, please "
                         "phone {name} ({phone}), ask whether it was them, then answer here. To avoid mistakes, "
                         "answer in words, not with a number: type “{yes}” or “{no}”.")
PROBATION_UNTOLD = N_("{name} ({roles}) linked a new {channel} account at {when}, and their other account cannot "
                      "be asked now. The new account gets nothing until it is confirmed. Please phone {name} "
                      "({phone}), ask whether it was them, then answer here. To avoid mistakes, answer in words, "
                      "not with a number: type “{yes}” or “{no}”.")
CONFIRM_LINK = N_("Confirm the account")
REFUSE_LINK = N_("Refuse")
PROBATION_GREETING = N_("Welcome, {name}! This chat is now linked to you as {roles}. Your other linked account: "
                        "{accounts}. To protect the children, this chat gets no messages and nothing "
                        "about them until you answer \"It was me\" on that account, or the school confirms it "
                        "after phoning you.")
PROBATION_WAITING = N_("This chat is waiting for confirmation: answer \"It was me\" on your other linked account, "
                       "or the school confirms it after phoning you. Until then it gets no messages and nothing "
                       "about the children.")
SELF_CONFIRMED_REPLY = N_("Thank you. The {channel} account is confirmed and can be used now.")
SELF_REFUSED_REPLY = N_("The {channel} account was removed and the school has been told. Alerts keep coming to "
                        "this account.")
SELF_CONFIRMED_TO_ACCOUNT = N_("This chat is confirmed. Send /help to see what you can do.")
DENIED_TO_ACCOUNT = N_("The person this chat was linked to says it was not them, so it is unlinked. If you have "
                       "questions, please contact the school.")
NOT_ME_TO_SCHOOL = N_("{name} ({roles}) says the {channel} account linked to them at {when} was not them; it was "
                      "removed. Please phone {name} ({phone}), and give them a new invite only after checking.")
UNLINKED_OTHER_TO_SCHOOL = N_("{name} ({roles}) unlinked their {channel} account (linked {bound}) from another of "
                              "their accounts at {when}. If it may not have been them, please phone {name} "
                              "({phone}).")
NO_PHONE_ON_RECORD = N_("no phone on record")
