"""A sick child nobody can get to a doctor: urgent help, now (an emergency of kind "help"; fix6af, a new-user trial).

``孩子发烧两天了，我腿脚不好带不去医院`` reached 王老师 queued behind the talk she was writing, to be read when it was
done. A child ill for days whose grandfather cannot take her to the doctor needs someone to act today. So an
illness word together with "cannot take her to the hospital" (``带不去医院``, ``去不了卫生院``, ``can't take her to
the doctor``), "no money for the doctor" or "nobody looks after her" (``没钱看病``, ``没人管``) goes to the class
teacher as 【紧急】 at once, whatever the hour or the flow in progress; the family is told to call 120 if the
child gets worse. A cold or a cough (``感冒``, ``咳嗽``) is no illness word here: ``有点感冒`` is a note for the
week, never 【紧急】; nor is ``没钱买药`` with no illness named.

Patterns over the folded, spaceless text of :mod:`bot.domain.emergency_words` (the child's name read as
``孩子``; a negation just before the illness word cancels: ``没发烧``).
"""

from __future__ import annotations

_SICK = ("(?:发高烧|发烧|发热|高烧|病了|生病|病得|得病|吐了|呕吐|拉肚子|肚子疼|肚子痛|头疼|头痛|喊疼|受伤|摔伤|"
         "伤了|烧了)")
_CANNOT = "(?:带不去|送不去|去不了|没法去|没办法去|不能去|送不了|带不了|没人带|没人送|走不了|背不动|抱不动)"
_DOCTOR = "(?:她|他|孩子)?(?:去)?(?:医院|卫生院|诊所|看病|看医生|打针|输液)"
_LEFT = "(?:没钱看病|没钱治|看不起病|没钱去医院|没钱上医院|没人管|没人照顾|没人看着)"

CHINESE: tuple[str, ...] = (
    rf"{_SICK}.{{0,20}}?{_CANNOT}.{{0,3}}?{_DOCTOR}",  # 孩子发烧两天了，我腿脚不好带不去医院
    rf"{_CANNOT}.{{0,3}}?{_DOCTOR}.{{0,20}}?{_SICK}",  # 带不去医院，孩子一直发烧
    rf"{_SICK}.{{0,20}}?{_LEFT}",  # 孩子病了好几天，没钱看病
    rf"{_LEFT}.{{0,20}}?{_SICK}",
)
"""Chinese: an illness and no way to the doctor, no money for one, or nobody looking after the child."""

_ILL_EN = "(?:fever|sick|ill|vomiting|throwing up|in pain|hurt|injured)"
_TAKE = (r"(?:can't|cannot|can not|unable to|no way to|nobody to|no one to|nobody can|no one can) "
         r"(?:take|get|bring|drive)")

ENGLISH: tuple[str, ...] = (
    rf"{_ILL_EN}(?: [\w']+){{0,12}} {_TAKE} (?:her|him|them|my [\w']+)(?: [\w']+)? to (?:the |a )?"
    r"(?:doctor|hospital|clinic)",
    rf"{_ILL_EN}(?: [\w']+){{0,12}} (?:no money (?:for|to see|to pay) (?:a |the )?(?:doctor|hospital|clinic)|"
    r"nobody (?:is )?looking after (?:her|him)|no one (?:is )?looking after (?:her|him))",
)
"""English: an illness and no way to the doctor, no money for one, or nobody looking after the child."""
