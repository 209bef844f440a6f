from bot.domain.classes import class_sort_key


def test_classes_sort_by_grade_then_number_not_by_code_point() -> None:
    names = ["三年级（1）班", "二年级（2）班", "十一年级1班", "一年级（10）班", "一年级（2）班", "六年级(3)班",
             "兴趣班", None]
    assert sorted(names, key=class_sort_key) == [
        "一年级（2）班", "一年级（10）班", "二年级（2）班", "三年级（1）班", "六年级(3)班", "十一年级1班",
        None, "兴趣班",
    ]
