"""What kind of document this is, so look-alikes are classified, never counted.

Rules are (kind, pattern) rows tried in order against the title; the first
match wins. Look-alike patterns come before the report pattern because
"关于2022年度报告的解读" also contains 年度报告.
"""

from __future__ import annotations

import re

KIND_RULES: tuple[tuple[str, str], ...] = (
    ("interpretation", r"解读|图解|一图读懂|图说|政策问答"),
    ("status_list", r"(?:公布|发布|公开|报送)(?:情况|名单|统计)|情况(?:通报|公示)"),
    ("notice", r"通知|通报|公告|工作要点|编制发布工作|关于做好"),
    ("guide", r"指南|目录|制度|办法|规定"),
    ("report", r"(?:信息公开|政务公开).{0,8}(?:年度报告|年报|工作报告)|年度报告|年报"),
)


def document_kind(title: str | None, *, has_tables: bool, n_sections: int) -> str:
    """``report`` | ``interpretation`` | ``status_list`` | ``guide`` | ``notice`` | ``other``."""
    if title:
        for kind, pattern in KIND_RULES:
            if re.search(pattern, title):
                return kind
    return "report" if has_tables or n_sections >= 4 else "other"
