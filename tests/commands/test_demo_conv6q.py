"""Leftovers of issue 6 (conv6q): every kind of help read from typed words; a family's 导出资助 is a message."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_a_fever_at_what_kind_of_help_is_a_health_need(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\n孩子发烧了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    # The words as written: a kind read out of them is a guess, never the grandfather's choice (fix6i).
    assert "[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要帮助，原话：“孩子发烧了”" in out
    assert "需要的帮助：" not in out


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("發燒兩天了", "身体健康"),  # traditional characters
        ("作业不会做，成绩下降了", "学习"),
        ("同学老欺负他，不想上学", "安全"),  # safety before study
    ],
)
def test_the_kind_of_help_written_in_words(monkeypatch, tmp_path, sample_roster, typed, kind):
    script = f":wait 2m\n:as #43\n3\n{typed}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert f"张强（杨秀云的监护人）需要帮助，原话：“{typed}”" in out
    assert f"需要的帮助：{kind}" not in out  # never a guessed kind (fix6i)


def test_the_kind_of_help_written_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\nolder kids pick on him on the way home\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert ("[→ 唐老师 (helper teacher)]\n张强 (guardian of 杨秀云) needs help and wrote, in their own words: "
            "“older kids pick on him on the way home”") in out
    assert "needs help with:" not in out


@pytest.mark.parametrize("typed", ["导出资助", "export aid", "导出 资助"])
def test_a_guardian_s_export_words_without_the_slash_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster,
                                                                           typed):
    # The same words from the principal, and the guardian's /export, stay the command.
    script = f":as #43\n{typed}\n/export aid\n:as 王校长\n{typed}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。")
    assert f"[→ 王老师（班主任）]\n张强（杨秀云的外祖父，一年级（1）班）留言：\n“{typed}”" in reply
    assert "导出只提供给" not in reply
    assert after(out, "/export aid").startswith("导出只提供给学校领导和管理员")
    assert after(out, typed, ":as 王校长").startswith("这段时间没有资助记录，资助台账会是空的。")  # the command


def test_traditional_everyday_words_answer_the_check_in(monkeypatch, tmp_path, sample_roster):
    # A relative whose phone types traditional characters: 還行 is "so-so", 謝謝 at the note question is thanks —
    # words for the teacher, passed on like 谢谢 (fix6p; it once ended the follow-up unread).
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n還行\n謝謝\n/quit\n", AT, "--all")
    assert after(out, "還行").startswith("谢谢！已记录：杨秀云这周一般。")
    assert after(out, "謝謝").startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "“謝謝”\n写于每周联系回答“一般”之后" in out  # the teacher reads it as written, the answer named


def test_traditional_characters_of_any_help_word_are_read(monkeypatch, tmp_path, sample_roster):
    # 負 and 學 of 同學欺負他 were missing from the hand-made table: the need stayed "other".
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n3\n同學欺負他\n/quit\n", AT, "--all")
    assert "张强（杨秀云的监护人）需要帮助，原话：“同學欺負他”" in out  # as written, never a guessed kind


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("孩子没发烧，就是想妈妈", "其他"),  # missing a parent, not health (found by a breaker)
        ("沒有發燒，就是想媽媽", "其他"),
        ("没被欺负，就是不爱说话", "其他"),
        ("爸妈在外面挣钱，孩子想他们", "其他"),
        ("不是钱的问题，孩子想爸爸", "其他"),
        ("没钱买药", "经济困难"),  # 没钱: no money IS the need
        ("放学没人接送", "安全"),
    ],
)
def test_a_negated_need_at_what_kind_of_help_is_not_that_need(monkeypatch, tmp_path, sample_roster, typed, kind):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n3\n{typed}\n/quit\n", AT, "--all")
    assert f"[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要帮助，原话：“{typed}”" in out
    assert "需要的帮助：" not in out  # neither a kind nor "other" is named: the words say it (fix6i)


def test_he_doesnt_have_a_fever_is_no_health_need(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\nhe doesnt have a fever, he misses his mum\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert ("张强 (guardian of 杨秀云) needs help and wrote, in their own words: “he doesnt have a fever, he misses "
            "his mum”" in out)
    assert "needs help with:" not in out
