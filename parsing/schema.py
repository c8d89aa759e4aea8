"""The national report formats as data: sections, tables, rows, columns.

Keys are the dataset's dotted paths (INTERFACE.md). Labels are the official
wording of 国办公开办函〔2021〕30号 (format "2021") and 〔2019〕60号 ("2019").
Nothing here parses; the parser and the demo portal's renderer both walk
these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS: tuple[tuple[str, str, str], ...] = (
    # key, numeral, official heading
    ("overview", "一", "总体情况"),
    ("proactive", "二", "主动公开政府信息情况"),
    ("applications", "三", "收到和处理政府信息公开申请情况"),
    ("review_litigation", "四", "政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五", "存在的主要问题及改进情况"),
    ("other", "六", "其他需要报告的事项"),
)


@dataclass(frozen=True)
class Row:
    key: str          # dotted path inside its table, e.g. "withheld.state_secret"
    label: str        # official leaf label
    group: str = ""   # official group label, when the row sits under one


@dataclass(frozen=True)
class Block:
    """A group of rows sharing columns (table 二 has several, 三 and 四 one)."""

    caption: str
    rows: tuple[Row, ...]
    columns: tuple[tuple[str, str], ...]   # (key, official header)


# ---- table 二 -----------------------------------------------------------------

PROACTIVE_2021: tuple[Block, ...] = (
    Block("第二十条第（一）项",
          (Row("rules", "规章"), Row("normative_documents", "行政规范性文件")),
          (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    Block("第二十条第（五）项", (Row("licensing", "行政许可"),), (("decisions", "本年处理决定数量"),)),
    Block("第二十条第（六）项", (Row("punishment", "行政处罚"), Row("coercion", "行政强制")),
          (("decisions", "本年处理决定数量"),)),
    Block("第二十条第（八）项", (Row("fees", "行政事业性收费"),), (("amount", "本年收费金额（单位：万元）"),)),
)

PROACTIVE_2019: tuple[Block, ...] = (
    Block("第二十条第（一）项",
          (Row("rules", "规章"), Row("normative_documents", "规范性文件")),
          (("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"), ("total_published", "对外公开总数量"))),
    Block("第二十条第（五）项",
          (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
          (("previous_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))),
    Block("第二十条第（六）项",
          (Row("punishment", "行政处罚"), Row("coercion", "行政强制")),
          (("previous_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))),
    Block("第二十条第（八）项", (Row("fees", "行政事业性收费"),),
          (("previous_items", "上一年项目数量"), ("change", "本年增/减"))),
    Block("第二十条第（九）项", (Row("procurement", "政府集中采购"),),
          (("projects", "采购项目数量"), ("amount", "采购总金额"))),
)

# ---- table 三 -----------------------------------------------------------------

APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)

_RESULTS = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

_APPLICATION_HEAD: tuple[Row, ...] = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", _RESULTS),
    Row("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULTS),
    Row("withheld.state_secret", "1.属于国家秘密", _WITHHELD),
    Row("withheld.law_prohibited", "2.其他法律行政法规禁止公开", _WITHHELD),
    Row("withheld.three_safety", "3.危及“三安全一稳定”", _WITHHELD),
    Row("withheld.third_party", "4.保护第三方合法权益", _WITHHELD),
    Row("withheld.internal_affairs", "5.属于三类内部事务信息", _WITHHELD),
    Row("withheld.process_info", "6.属于四类过程性信息", _WITHHELD),
    Row("withheld.enforcement_file", "7.属于行政执法案卷", _WITHHELD),
    Row("withheld.query_matter", "8.属于行政查询事项", _WITHHELD),
    Row("unavailable.not_held", "1.本机关不掌握相关政府信息", _UNAVAILABLE),
    Row("unavailable.needs_creation", "2.没有现成信息需要另行制作", _UNAVAILABLE),
    Row("unavailable.unclear", "3.补正后申请内容仍不明确", _UNAVAILABLE),
    Row("not_processed.petition", "1.信访举报投诉类申请", _NOT_PROCESSED),
    Row("not_processed.duplicate", "2.重复申请", _NOT_PROCESSED),
    Row("not_processed.publication", "3.要求提供公开出版物", _NOT_PROCESSED),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", _NOT_PROCESSED),
    Row("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", _NOT_PROCESSED),
)
_APPLICATION_TAIL: tuple[Row, ...] = (
    Row("total", "（七）总计", _RESULTS),
    Row("carried_forward", "四、结转下年度继续办理"),
)

APPLICATIONS_2021: tuple[Row, ...] = _APPLICATION_HEAD + (
    Row("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _OTHER),
    Row("other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _OTHER),
    Row("other.misc", "3.其他", _OTHER),
) + _APPLICATION_TAIL

APPLICATIONS_2019: tuple[Row, ...] = _APPLICATION_HEAD + (
    Row("other_handling", "（六）其他处理", _RESULTS),
) + _APPLICATION_TAIL

# Rows whose sum is （七）总计 (DOMAIN.md §3, check 2).
RESULT_ROW_PREFIXES = ("granted", "partly_granted", "withheld.", "unavailable.", "not_processed.", "other.", "other_handling")

# ---- table 四 -----------------------------------------------------------------

REVIEW_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


def proactive_blocks(fmt: str) -> tuple[Block, ...]:
    return PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021


def application_rows(fmt: str) -> tuple[Row, ...]:
    return APPLICATIONS_2019 if fmt == "2019" else APPLICATIONS_2021


def cell_paths(fmt: str) -> list[str]:
    """Every cell's dotted path in a report of format ``fmt`` ("2021" or "2019")."""
    paths = [f"proactive.{r.key}.{c}" for b in proactive_blocks(fmt) for r in b.rows for c, _ in b.columns]
    paths += [f"applications.{r.key}.{c}" for r in application_rows(fmt) for c, _ in APPLICANT_COLUMNS]
    paths += [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c, _ in REVIEW_COLUMNS]
    return paths


# ---- variants seen in the field (DOMAIN.md §2) ----------------------------------

LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    # dotted row key (inside its table) → further labels meaning the same row
    "withheld.law_prohibited": ("2.其他法律法规禁止公开",),
    "withheld.three_safety": ("3.危及三安全一稳定",),
    "normative_documents": ("规范性文件",),
    "total": ("(七)合计",),
}


def review_cell_paths() -> list[str]:
    """Table 四's 15 cells in printed order (review, direct, after review × 5 columns)."""
    return [f"{b}.{c}" for b, _ in REVIEW_BLOCKS for c, _ in REVIEW_COLUMNS]
