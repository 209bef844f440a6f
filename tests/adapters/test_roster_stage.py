"""What a roster import knows across the file waits in a private staging database (issue 7, item 6)."""

from __future__ import annotations

import os
import stat

import pytest

from bot.adapters import roster_stage
from bot.adapters.roster_stage import RosterStage


def test_the_stage_is_private_holds_no_phone_in_clear_and_is_gone_when_closed() -> None:
    stage = RosterStage()
    folder = stage._dir
    path = os.path.join(folder, "stage.db")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    stage.plan([("s1:guardian:王芳:#x", "王芳", "+8613800138000", "广东东莞电子厂", 58, "高血压", ["guardian"])])
    stage.db.execute("COMMIT")
    with open(path, "rb") as f:
        raw = f.read()
    assert b"+8613800138000" not in raw and "东莞".encode() not in raw and "高血压".encode() not in raw
    assert "王芳".encode() in raw  # names are stored as the main database stores them
    stage.close()
    assert not os.path.exists(folder)


def test_a_number_seen_again_gives_its_first_row() -> None:
    stage = RosterStage()
    assert stage.first_row("G001", 3) is None
    assert stage.first_row("G002", 4) is None
    assert stage.first_row("G001", 9) == 3
    assert stage.has_number("G002") and not stage.has_number("G003")
    assert stage.numbers_in_file(["G001", "G003", "G002"]) == {"G001", "G002"}
    stage.set_child_ids([("G001", 11)])
    assert stage.child_id("G001") == 11 and stage.child_id("G002") is None
    stage.close()


def test_siblings_share_a_person_the_first_name_stays_later_values_win_and_roles_add_up() -> None:
    stage = RosterStage()
    stage.plan([
        ("k:grandma", "王芳", "+8613800138000", None, 58, None, ["guardian"]),
        ("k:father", "李强", None, "东莞", None, None, ["parent"]),
        ("k:grandma", "王 芳", None, None, 59, "高血压", ["guardian"]),  # her second grandchild's row
        ("k:grandma", "王芳", "+8613900139000", None, None, None, ["parent"]),
    ])
    people = [p for page in stage.people() for p in page]
    assert [p.key for p in people] == ["k:grandma", "k:father"]  # planning order
    grandma = people[0]
    assert grandma.columns() == {"name": "王芳", "phone": "+8613900139000", "work_place": None, "age": 59,
                                 "health": "高血压"}
    assert grandma.roles == {"guardian", "parent"} and grandma.id is None
    assert stage.count_people() == 2 and stage.has_person("k:father") and not stage.has_person("k:nobody")
    stage.close()


def test_new_people_come_a_page_at_a_time_and_ids_set_between_pages_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_stage, "PAGE", 2)
    stage = RosterStage()
    stage.plan([(f"k{i}", f"人{i}", None, None, None, None, ["parent"]) for i in range(5)])
    stage.set_person_ids([("k1", 101)])  # known already
    seen = []
    for page in stage.people(new_only=True):
        seen.append([p.key for p in page])
        stage.set_person_ids((p.key, 200 + int(p.key[1:])) for p in page)
    assert seen == [["k0", "k2"], ["k3", "k4"]]
    assert stage.person_id("k4") == 204 and stage.person_id("k1") == 101 and stage.person_id("k9") is None
    assert list(stage.people(new_only=True)) == []
    stage.close()
