"""An education office's export is named after what it oversees: its one school or town, else the count."""

from __future__ import annotations

from bot.services.export_files import _overseen_name
from bot.store.models import School


def _school(name: str, town: str | None) -> School:
    return School(name=name, town=town)


def test_one_school_names_the_file() -> None:
    assert _overseen_name([_school("清溪小学", "清溪镇")]) == "清溪小学"


def test_schools_of_one_town_name_the_town() -> None:
    assert _overseen_name([_school("清溪小学", "清溪镇"), _school("石门小学", "清溪镇")]) == "清溪镇"


def test_schools_of_several_towns_are_counted_never_called_the_county() -> None:
    schools = [_school("清溪小学", "清溪镇"), _school("石门小学", "石门镇"), _school("无镇小学", None)]
    assert _overseen_name(schools) == "3所学校"
