"""Words of concern naming another family's child in pinyin or by a nickname reach that child's teacher (fix6an).

李雪 (grandmother of 刘婷婷 and 刘帅, class teacher 张老师) writing in English ``Yang Xiuyun needs help`` reached
only 张老师, while ``杨秀云需要帮助`` also reached 杨秀云's class teacher 王老师: only Chinese-character full names
were looked up. Now the full name in pinyin, and a nickname only one child of the school is called by
(``欢欢`` for 唐欢), find that child for the silent copy; her own reply stays the same whether the name is a child
of the school or nobody.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

WEEKDAY = "2026-12-02 10:00"


def _seen_by_her(out: str) -> str:
    """Everything the person in the demo chat read (the copies sent to others left out)."""
    body = out.split("> :as 李雪\n", 1)[1]
    return "\n".join(part.split("\n[→ ", 1)[0] for part in body.split("\n> "))


def test_a_pinyin_name_reaches_that_childs_class_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\nYang Xiuyun needs help\n", WEEKDAY, "--all",
                   "--lang", "en")
    said = after(out, "Yang Xiuyun needs help")
    [to_wang] = told_to(said, "王老师 (class teacher)")
    assert to_wang.startswith("李雪 (family of 刘婷婷, 刘帅, not of 杨秀云) writes:\n“Yang Xiuyun needs help”")
    assert told_to(said, "张老师 (class teacher)")  # her children's class teacher, as she is told


def test_her_reply_is_the_same_for_a_child_and_for_nobody(monkeypatch, tmp_path, sample_roster):
    (tmp_path / "real").mkdir()
    (tmp_path / "nobody").mkdir()
    lines = ":as 李雪\n{name} needs help\nXiuyun {surname} was hit by her grandpa\n"
    real = run_demo(monkeypatch, tmp_path / "real", sample_roster, lines.format(name="Yang Xiuyun", surname="Yang"),
                    WEEKDAY, "--all", "--lang", "en")
    nobody = run_demo(monkeypatch, tmp_path / "nobody", sample_roster,
                      lines.format(name="Wang Xiaohu", surname="Wang"), WEEKDAY, "--all", "--lang", "en")
    assert told_to(after(real, "Xiuyun Yang was hit by her grandpa"), "王老师 (class teacher)")  # surname last
    shown = _seen_by_her(real).replace("Yang Xiuyun", "X").replace("Xiuyun Yang", "Y")
    assert shown == _seen_by_her(nobody).replace("Wang Xiaohu", "X").replace("Xiuyun Wang", "Y")


def test_a_nickname_names_the_one_child_called_so_and_no_one_when_several_are(monkeypatch, tmp_path,
                                                                              sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n欢欢需要帮助\n小云需要帮助\n", WEEKDAY, "--all")
    [to_lou] = told_to(after(out, "欢欢需要帮助"), "娄老师（班主任）")  # 唐欢's class teacher
    assert to_lou.startswith("李雪（刘婷婷、刘帅的家长，不是唐欢的家人）留言：\n“欢欢需要帮助”")
    # 杨秀云, 刘秀云, 罗云 … are all 小云 at home: nobody is guessed, only her own teacher reads it
    assert told_to(after(out, "小云需要帮助"), "张老师（班主任）")
    assert "不是" not in after(out, "小云需要帮助")


NIGHT = "2026-12-02 22:30"


def test_the_harm_copy_says_the_neighbour_was_told_what_to_do_not_the_family(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n隔壁杨秀云被她爷爷打了\n", NIGHT, "--all")
    [to_wang] = told_to(after(out, "隔壁杨秀云被她爷爷打了"), "王老师（班主任）")
    assert "已告诉留言人李雪，如有危险请拨打110，伤得重请拨打120。" in to_wang
    assert "请马上给李雪打电话。报告突发事件：发送“报告 杨秀云”。" in to_wang
    assert "已告诉家人" not in to_wang and "给家人打电话" not in to_wang  # 杨秀云's family was told nothing


def test_the_harm_copy_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\nYang Xiuyun was beaten by her grandpa\n", NIGHT,
                   "--all", "--lang", "en")
    [to_wang] = told_to(after(out, "Yang Xiuyun was beaten by her grandpa"), "王老师 (class teacher)")
    assert "李雪, who wrote this, was told to call 110 if the child is in danger and 120 if badly hurt." in to_wang
    assert "Please phone 李雪 now. To report an incident: /incident 杨秀云" in to_wang
    assert "the family was told" not in to_wang and "phone them" not in to_wang
