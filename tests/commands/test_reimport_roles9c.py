"""A re-import that names someone else as a class's teacher takes the 班主任 role from the former one (issue 9).

Found by testers: the classes sheet named 新老师 for 一年级（1）班; 王老师 (its class teacher until then) kept
the 班主任 label on /me. Roles the import manages now follow the file; she keeps her history (the talk she held).
"""

from __future__ import annotations

from tests.support.demo import after, new_class_teacher, run_demo

ONE_TALK = "/talk 杨秀云\n1\n1\n1\n2\n跳过\n1\n1\n"


def test_the_former_class_teacher_is_no_longer_called_class_teacher(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n/me\n" + ONE_TALK + "/quit\n",
                   "2026-11-18 16:00", "--database", url)
    assert "班主任" in after(out, "/me")
    roster = new_class_teacher(monkeypatch, tmp_path, sample_roster, url)
    out = run_demo(monkeypatch, tmp_path, roster, ":as 王老师\n/me\n/quit\n", "2026-11-20 16:00",
                   "--database", url)
    me = after(out, "/me")
    assert "班主任" not in me, me
    out = run_demo(monkeypatch, tmp_path, roster, ":as 新老师\n/me\n/talks 杨秀云\n/quit\n",
                   "2026-11-20 16:00", "--database", url)
    assert "身份：班主任" in after(out, "/me") and "您负责的孩子：7 名" in after(out, "/me")
    assert "王老师" in after(out, "/talks 杨秀云")  # her talk is history, kept
