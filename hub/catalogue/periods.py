"""Chinese periods and their years (negative for BCE), for the `period` filter and compliance rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    name: str
    chinese: str
    start: int
    end: int


PERIODS = (
    Period("Shang", "商", -1600, -1046),
    Period("Western Zhou", "西周", -1046, -771),
    Period("Spring and Autumn", "春秋", -770, -476),
    Period("Warring States", "战国", -475, -221),
    Period("Qin", "秦", -221, -206),
    Period("Western Han", "西汉", -206, 9),
    Period("Han", "汉", -206, 220),
    Period("Xin", "新", 9, 23),
    Period("Eastern Han", "东汉", 25, 220),
    Period("Three Kingdoms", "三国", 220, 280),
    Period("Jin", "晋", 265, 420),
    Period("Northern and Southern Dynasties", "南北朝", 420, 589),
    Period("Northern Wei", "北魏", 386, 534),
    Period("Sui", "隋", 581, 618),
    Period("Tang", "唐", 618, 907),
    Period("Five Dynasties", "五代", 907, 960),
    Period("Liao", "辽", 907, 1125),
    Period("Song", "宋", 960, 1279),
    Period("Western Xia", "西夏", 1038, 1227),
    Period("Jin (Jurchen)", "金", 1115, 1234),
    Period("Yuan", "元", 1271, 1368),
    Period("Ming", "明", 1368, 1644),
    Period("Qing", "清", 1644, 1911),
    Period("Republic of China", "中华民国", 1912, 1949),
    Period("People's Republic", "中华人民共和国", 1949, 9999),
)

_BY_NAME = {p.name.casefold(): p for p in PERIODS} | {p.chinese: p for p in PERIODS}


def find_period(name: str) -> Period | None:
    """The period called `name` in English (any case) or Chinese, e.g. "Tang", "tang", "唐"."""
    key = name.strip()
    return _BY_NAME.get(key.casefold()) or _BY_NAME.get(key.rstrip("代朝"))
