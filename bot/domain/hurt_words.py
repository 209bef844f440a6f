"""Words that say a child was hurt by someone: beaten, bullied, abused (an emergency of kind "harm").

A new-user trial (fix6af): a grandfather's ``孩子被打了`` went to the class teacher as an ordinary message,
held behind an earlier one, and at the Friday check-in it was "needs help" followed by "what kind of help?";
only ``被人打`` was urgent. ``my granddaughter was beaten by older kids`` waited the same way. A child beaten,
by whomever (``被他爸打了``, ``挨打``, ``被同学打``, ``家暴``, ``被欺负``, ``beaten``, ``was hit``, ``hurt by
someone``), is urgent: the family is told 110 if the child is in danger, the teacher gets 【紧急】 and is
reminded that harm at home is reported as suspected abuse (:mod:`bot.services.urgent_messages`).

Patterns over the folded, spaceless text of :mod:`bot.domain.emergency_words` (the child's own name read as
``孩子``; a negation just before, ``没被打``, ``没有挨打``, ``防霸凌``, cancels). ``欺负`` without ``被``
(``同学老欺负他``) and ``打架`` stay worry words of the check-in, not emergencies. Everyday words with 打
(``打针``, ``打电话``, ``被子打湿了``, ``打扮``) and 抽 (``抽血``, ``抽中``) are no blow.
"""

from __future__ import annotations

_KIN = "(?:孩子|小孩|娃娃|娃|外孙女|外孙|孙子|孙女|儿子|女儿|闺女)"
_STOP = "，,。.！!？?；;"
_NOT_A_BLOW = ("针", "电话", "扫", "扰", "败", "湿", "开", "动", "包", "车", "算", "听", "折", "卡", "游戏", "球", "篮",
               "排", "乒", "羽", "架", "牌", "工", "印", "字", "气", "雷", "疫苗", "麻将", "招呼", "扮", "理", "水",
               "饭", "米", "酱油", "断了话", "血", "中", "查", "到", "签", "奖", "烟", "出群", "出去玩")
"""What follows 打 / 抽 / 踢 in everyday words that are no blow (``被打扰``, ``被抽血``, ``被踢出群``)."""
_BLOW = f"(?:殴打|暴打|毒打|打|揍|踢|扇|抽)(?!{'|'.join(_NOT_A_BLOW)})"
_TOPIC = "(?!教育|讲座|知识|宣传|主题|活动|演练|课)"

CHINESE: tuple[str, ...] = (
    rf"被[^{_STOP}]{{0,6}}?{_BLOW}",  # 被打了, 被他爸打了, 被隔壁大孩子揍了, 被人打
    r"挨(?:了)?(?:一|几|两)?(?:顿|下|次|回)?(?:打|揍|踢|巴掌|耳光|鞭子)",  # 挨打, 挨了一顿打
    # 他爸打孩子, 爸爸打她 (not 打她电话; nor the writer's own ``我打孩子了他不写作业``, pinned as no emergency)
    rf"(?<!我)(?<!我们){_BLOW}(?:了)?(?:{_KIN}|她|他)(?![^{_STOP}]{{0,2}}(?:电话|手机))",
    rf"(?<!我)把{_KIN}[^{_STOP}]{{0,3}}{_BLOW}",  # 把孩子打了
    r"打伤", r"打骂", r"打得(?:鼻青脸肿|头破血流|浑身|满身|身上|全身)", r"青一块紫一块",
    rf"被[^{_STOP}]{{0,6}}?(?:欺负|霸凌|欺凌|虐待|性侵|猥亵|强奸|摸了?下面){_TOPIC}",  # 在学校被欺负
    rf"(?<!反)(?:家暴|家庭暴力|虐待|性侵|猥亵|霸凌){_TOPIC}",
    # 学校有人欺负他, 身上有伤 (trial B4: a plain note, only the passive 被欺负 was urgent); 没人欺负 is none.
    rf"(?<!没)(?<!没有)有(?:人|同学|大孩子|几个人|学生)[^{_STOP}]{{0,4}}?(?:欺负|霸凌|欺凌)(?:了)?(?:{_KIN}|她|他)",
    r"身上(?:有|都是|全是|好多|很多)(?:伤|淤青|青紫|血印)(?!心)",
)
"""Chinese patterns (regular expressions, no slips) of a child hurt by someone."""

_CHILD = "(?:her|him|them|my (?:child|kid|son|daughter|grandson|granddaughter|boy|girl))"
_BODY = "(?! (?:head|knee|knees|elbow|toe|toes|leg|legs|arm|arms|foot|feet|shin|chin)(?![\\w']))"

_ACCIDENT = ("(?:a |the )?(?:fall|ball|bike|car|truck|door|dog|branch|rock|stone|wave|falling|football|basketball)"
             "(?![\\w'])")
_NOT_BY = f"(?! by {_ACCIDENT})"
"""``hit by a ball``, ``hurt by a fall``: an accident, no one's blow."""

ENGLISH: tuple[str, ...] = (
    r"beaten", r"beat (?:him|her|them) up", r"beat up", r"beats (?:him|her|them|my)", r"beating (?:him|her|them)",
    r"bullied", r"bullying (?:him|her|them)", r"abused", r"abusing", r"assaulted", r"molested",
    r"(?:was|got|been|gets|getting|is being|were|get) (?:hit|punched|kicked|slapped|smacked|attacked|whipped|"
    rf"beat)(?![\w']){_NOT_BY}",
    rf"(?:hit|hits|hitting|kicked|kicks|punched|punches|slapped|slaps|smacked|whipped|whips|attacked) {_CHILD}{_BODY}",
    rf"(?:hurt|injured|attacked|hit) by(?= (?!{_ACCIDENT}))",
)
"""English patterns over the folded words (one space between; ``hit by a car`` is a medical emergency first)."""
