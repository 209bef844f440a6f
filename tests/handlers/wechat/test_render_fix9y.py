"""A long ``/report`` on WeChat: each 2048-byte message starts at a part of the report, not mid-list (fix9y).

The reply's prompts (summary, total, per class, per teacher) were joined and cut wherever 2048 bytes fell,
so the second message could start half-way down the classes. Now they are packed whole, a prompt that fits
never cut; one longer than 2048 bytes by itself is still split on line ends.
"""

from __future__ import annotations

from bot.handlers.wechat.render import MAX_BYTES, reply_texts
from bot.messages.prompt import Prompt, text

CLASSES = [f"{g}年级（{c}）班" for g in "一二三四五六" for c in "123"]


def _report() -> list[Prompt]:
    def lines(template: str, names: list[str]) -> tuple:
        return tuple(("{line}", {"line": text(template.format(name=n))}) for n in names)

    return [
        Prompt("示例县清溪镇中心小学（学校）统计数据，2026-12：",
               lines=lines("• {name}", ["需要处理：", "班主任每月谈心：0/122 (0.0%)"])),
        Prompt("示例县清溪镇中心小学（学校）统计数据，2026-12：", lines=lines(
            "• {name}：0/122 (0.0%)", [f"第{i}项" for i in range(14)])),
        Prompt("各班级：", lines=lines("• {name}：7名儿童；建档 7/7 (100.0%)；每月谈心 0/7 (0.0%)；"
                                       "每周谈心 —；每周联系 —；资助 0名儿童", CLASSES)),
        Prompt("各教师和志愿者的谈心完成情况：", lines=lines("• {name}老师（一年级（1）班）：每月 0/7 (0.0%)；已错过 0",
                                                             [f"教师{i}" for i in range(19)])),
    ]


def test_each_message_starts_at_a_part_of_the_report():
    parts = reply_texts(_report(), "zh_Hans", "Asia/Shanghai")
    assert all(len(p.encode()) <= MAX_BYTES for p in parts)
    # The summary and the total fit together; the classes (about 4,500 bytes) and the teachers take their own.
    assert parts[0].startswith("示例县") and "需要处理：" in parts[0] and "第13项" in parts[0]
    assert "各班级" not in parts[0]
    classes = [p for p in parts if "班：7名儿童" in p]
    assert classes[0].startswith("各班级：") and all(p.startswith("• ") for p in classes[1:])
    assert sum(p.count("班：7名儿童") for p in classes) == 18 and not any("教师" in p for p in classes)
    teachers = [i for i, p in enumerate(parts) if p.startswith("各教师和志愿者")]
    assert teachers and all(p.startswith("• 教师") for p in parts[teachers[0] + 1:])


def test_a_prompt_longer_than_the_limit_is_still_cut_on_line_ends():
    long = Prompt("各班级：", lines=tuple(("{line}", {"line": text("• " + "很长的一行" * 30)}) for _ in range(10)))
    parts = reply_texts([Prompt("标题"), long], "zh_Hans", "Asia/Shanghai")
    assert all(len(p.encode()) <= MAX_BYTES for p in parts) and len(parts) > 2
    assert all(line.startswith(("标题", "各班级", "• ")) or not line for p in parts for line in p.splitlines())
