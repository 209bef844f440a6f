"""New-user findings on main (fix6i), typed in the demo as the person types them.

A grandfather's own words at "what kind of help?" are quoted, never turned into a guessed kind; worry words
at "how is she this week?" ask for help; the talk card's safety question puts the harmless answer first;
``/card`` in the middle of a talk is a look; export names; what parents working away are asked to do; an
official's acknowledgement is not announced to the family.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo
from tests.support.demo import told_to as _told_to


def told_to(told: str, reader: str) -> list[str]:
    """The messages ``reader`` got in ``told``, each without the blank lines around it."""
    return [m.strip() for m in _told_to(told, reader)]


FRIDAY = "2026-12-04 17:58"  # :wait 2m → the Friday 18:00 check-in
WEEKDAY = "2026-12-02 10:00"
CHECKIN = ":wait 2m\n:as #43\n"


@pytest.mark.parametrize("typed", ["她奶奶住院了没人管她做作业", "她奶奶住院了"])
def test_help_in_the_grandfather_s_words_is_quoted_never_a_guessed_kind(monkeypatch, tmp_path, sample_roster,
                                                                        typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}3\n{typed}\n/quit\n", FRIDAY, "--all")
    helper = told_to(after(out, typed), "唐老师（帮扶教师）")
    assert helper == [f"张强（杨秀云的监护人）需要帮助，原话：“{typed}”"]
    assert "需要的帮助：" not in out  # no kind (安全, 身体健康) the grandfather never chose


def test_help_in_english_words_is_quoted(monkeypatch, tmp_path, sample_roster):
    typed = "grandma is in hospital, nobody helps with homework"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}3\n{typed}\n/quit\n", FRIDAY, "--all",
                   "--lang", "en")
    assert (f"[→ 唐老师 (helper teacher)]\n张强 (guardian of 杨秀云) needs help and wrote, in their own words: "
            f"“{typed}”") in out
    assert "needs help with:" not in out


def test_a_kind_tapped_is_still_named(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}3\n1\n跳过\n/quit\n", FRIDAY, "--all")
    assert "张强（杨秀云的监护人）需要的帮助：身体健康。" in out


@pytest.mark.parametrize("typed", ["孩子病了", "不太好，老是哭", "这周还行，就是她不吃饭"])
def test_worry_words_at_the_check_in_ask_for_help(monkeypatch, tmp_path, sample_roster, typed):
    script = f"{CHECKIN}{typed}\n好的\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = after(out, typed)
    assert told.startswith("谢谢！已记录：杨秀云这周需要帮助。")
    assert "杨秀云需要哪方面的帮助？\n1. 身体健康" in told  # the follow-up names the child
    assert "杨秀云这周过得怎么样？" not in told  # not asked again
    helper = told_to(told, "唐老师（帮扶教师）")
    assert "杨秀云的监护人张强在每周联系中选择了“需要帮助”。请尽快联系：138 0013 6956。" in helper
    assert f"张强（杨秀云的监护人）补充：{typed}" in helper
    assert f"“{typed}”\n写于每周联系回答“需要帮助”之后。" in told  # the class teacher reads the words too
    assert after(out, "好的").startswith("谢谢，不需要再做什么了。")
    assert "不是这个问题的回答" not in out


def test_a_kind_tapped_after_worry_words_ends_the_follow_up(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}孩子病了\n1\n/quit\n", FRIDAY, "--all")
    told = after(out, "1")
    assert told.startswith("谢谢，不需要再做什么了。")
    assert told_to(told, "唐老师（帮扶教师）") == ["张强（杨秀云的监护人）需要的帮助：身体健康。"]


def test_worry_words_in_english(monkeypatch, tmp_path, sample_roster):
    typed = "she is sick and keeps crying"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}{typed}\n/quit\n", FRIDAY, "--all",
                   "--lang", "en")
    told = after(out, typed)
    assert told.startswith("Thank you! Recorded: 杨秀云 this week: Needs help.")
    assert "What kind of help does 杨秀云 need?" in told


@pytest.mark.parametrize(("typed", "recorded"), [("不太好", "谢谢！已记录：杨秀云这周一般。"),
                                                 ("孩子没生病，挺好的", None)])
def test_no_worry_is_no_call_for_help(monkeypatch, tmp_path, sample_roster, typed, recorded):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CHECKIN}{typed}\n/quit\n", FRIDAY, "--all")
    told = after(out, typed)
    assert "已记录：杨秀云这周需要帮助" not in told and "需要哪方面的帮助" not in told
    if recorded:
        assert told.startswith(recorded)


TALK = "谈心 杨秀云\n1\n1\n1\n"


# The card says it in the answer's own words: 安全隐患：没有 / 有, as the question offered them (fix6p).
@pytest.mark.parametrize(("typed", "concern"), [("1", "没有"), ("2", "有"), ("是", "有"), ("有", "有"), ("否", "没有"),
                                                ("没有", "没有")])
def test_the_safety_question_puts_the_harmless_answer_first(monkeypatch, tmp_path, sample_roster, typed, concern):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}{typed}\n跳过\n2\n/quit\n", WEEKDAY)
    assert after(out, "1", nth=3).rstrip().endswith("杨秀云有安全隐患吗？\n1. 没有 2. 有")
    assert f"安全隐患：{concern}\n" in after(out, "2", nth=1 if typed != "2" else 2)


@pytest.mark.parametrize("typed", ["好", "ok", "好的"])
def test_an_everyday_yes_files_no_safety_concern(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}{typed}\n/quit\n", WEEKDAY)
    assert after(out, typed).rstrip().endswith("杨秀云有安全隐患吗？\n1. 没有 2. 有")  # asked again, nothing picked


def test_the_safety_question_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}no\nskip\nno\n/quit\n", WEEKDAY, "--lang", "en")
    assert "Any safety concerns about 杨秀云?\n1. No concern 2. Yes, a concern\n" in out
    assert "Safety concerns: No concern\n" in out  # the answer's own words, as asked (fix6p)


def card_mid_talk(monkeypatch, tmp_path, sample_roster, script: str, card: str, shows: str,
                  asks_again: str) -> tuple[str, str]:
    """王老师 types ``card`` during a talk with 杨婷: it ``shows`` a card, ends by asking ``asks_again`` and
    drops nothing. Returns the whole output and what followed ``card``."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    looked = after(out, card)
    assert looked.startswith(shows)
    assert looked.rstrip().endswith(asks_again)
    assert "已放弃" not in out
    return out, looked


def test_card_in_the_middle_of_a_talk_is_a_look(monkeypatch, tmp_path, sample_roster):
    out, looked = card_mid_talk(monkeypatch, tmp_path, sample_roster,
                                "谈心 杨婷\n1\n1\n/card 杨婷\n3\n是\n跳过\n1\n1\n/quit\n", "/card 杨婷",
                                "杨婷的档案（一年级（1）班）：",
                                "继续记录与杨婷的谈心：\n\n杨婷的生活情况（饮食、睡眠、卫生）怎么样？\n"
                                "1. 好 2. 一般 3. 较差")
    assert "1. 更正住址" not in looked  # its corrections would take the talk's numbers
    assert "如需更正杨婷的档案，请在完成后再发送 /card 杨婷。" in looked
    assert "生活：较差\n安全隐患：有\n" in out
    assert "已保存：与杨婷的谈心记录。" in out


def test_card_at_drop_it_asks_it_again(monkeypatch, tmp_path, sample_roster):
    out, _ = card_mid_talk(monkeypatch, tmp_path, sample_roster, "谈心 杨婷\n1\n1\n1\n谈心 丁倩\n/card\n2\n1\n/quit\n",
                           "/card", "一人一档：",
                           "您还没有完成与杨婷的谈心记录，目前还没有保存。要放弃吗？\n"
                           "1. 放弃，继续新的操作 2. 回去接着做")
    assert after(out, "2").startswith("继续记录与杨婷的谈心：\n\n杨婷有安全隐患吗？")


def test_the_figures_file_names_its_month_and_the_day_of_export(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n导出\n6\n/quit\n", WEEKDAY)
    assert "[guanai-files/示例县清溪镇中心小学-统计数据-2026年12月-导出2026-12-02.xlsx]" in after(out, "6")
    assert "2026-12-2026-12-02" not in out


INCIDENT = "报告 杨秀云\n1\n1\n摔了\n1\n"


def test_parents_working_away_are_asked_to_phone_not_to_come(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{INCIDENT}:wait 31m\n/quit\n", WEEKDAY, "--all")
    [guardian] = told_to(after(out, "1", nth=3), "张强（委托监护人）")
    assert "您是否需要过来" in guardian  # the grandfather lives with her
    for parent in ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）"):
        [alert] = [m for m in told_to(out, parent) if m.startswith("突发事件")]
        assert "您需要做的：请马上给报告的老师或学校打电话：老师会告诉您孩子现在怎么样、由谁照顾。" in alert
        assert "过来" not in alert
        assert "学校联系人刘主任：150 0013 4841\n联系报告人王老师：138 0013 0739" in alert


def test_an_official_s_acknowledgement_is_not_announced_to_the_family(monkeypatch, tmp_path, sample_roster):
    script = f"{INCIDENT}:as 镇教育办张科长\n:wait 65m\n好的\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    told = after(out, "好的")
    acknowledged = "镇教育办张科长（教育主管部门）已于2026年12月2日 11:05确认收到"
    assert told_to(told, "王老师（班主任）")[0].startswith(acknowledged)  # the reporter
    assert told_to(told, "镇政府李干事（镇党委政府）")[0].startswith(acknowledged)  # staff and officials still see it
    for family in ("张强（委托监护人）", "杨杨（外出务工父母）", "谢冬梅（外出务工父母）"):
        assert told_to(told, family) == []
