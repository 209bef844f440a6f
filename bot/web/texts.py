"""The dashboard's words, marked for the catalogs (the templates call ``t("…")`` with these ids)."""

from __future__ import annotations

from bot.messages.prompt import N_

TEXTS = (
    N_("guanai dashboard"), N_("Overview"), N_("Children"), N_("Tasks"), N_("Incidents"), N_("Programme"),
    N_("Exports"), N_("Sign out"), N_("Sign in"), N_("Sign in to the guanai dashboard"),
    N_("This sign-in link can be used once and expires 15 minutes after it was sent."),
    N_("This sign-in link has expired or was used already. Send /web in chat for a new one."),
    N_("You are not signed in, or your session has ended. Send /web (后台) to the bot in chat for a sign-in link."),
    N_("Two-step check"), N_("Enter the 6-digit code from your authenticator app."),
    N_("First time: add this key to an authenticator app (Google Authenticator, Microsoft Authenticator, "
       "腾讯身份验证器…), then enter the code it shows."),
    N_("Key"), N_("Code"), N_("Check"), N_("That code is not right. Please try again."), N_("Period"), N_("Show"),
    N_("this month, 学期, 学年, 2026-11 or 2026-09-01~2027-01-20"),
    N_("I could not read that period; showing this month."),
    N_("Talk completion"), N_("monthly talks"), N_("complete cards"), N_("Unit"), N_("Children"),
    N_("Complete cards"), N_("Monthly talks"), N_("Weekly talks"), N_("Check-ins answered"),
    N_("Talks per teacher and volunteer:"), N_("Teacher"), N_("Classes"), N_("Class"), N_("Student number"),
    N_("Name"), N_("Card"), N_("Gender"), N_("Birth date"), N_("Left-behind type"), N_("Guardianship"),
    N_("Entrusted guardian"), N_("Address"), N_("Schooling"), N_("Health"), N_("Guardian's phone"), N_("Save"),
    N_("Saved: {fields}."), N_("Nothing changed."), N_("{field}: {reason}. Nothing was changed."),
    N_("Changes"), N_("When"), N_("By"), N_("Field"), N_("From"), N_("To"), N_("Kind"), N_("Assigned to"),
    N_("Child"), N_("Created"), N_("No open tasks."), N_("No incidents."), N_("Reported at"), N_("Status"),
    N_("Step"), N_("Person"), N_("Due by"), N_("Sent at"), N_("Acknowledged at"), N_("On time"), N_("Yes"),
    N_("No"), N_("left out"), N_("Download"), N_("The table has problems to correct first:"),
    N_("Not found, or not yours to see."),
    N_("Too many wrong codes have been given signing in as you, so signing in is locked until {until}. Then send "
       "/web in chat for a new sign-in link. If it was not you, tell the school's admin."),
    N_("Your session is not valid for this form. Please reload the page and try again."),
)
