"""Generated reports: consistent non-zero tables, prose quoting them, and deliberate faults.

A ``Case`` is everything a renderer needs and everything the parse must give
back: the cell values (``None`` = printed blank or "/"), the rows cut off by a
truncated table, and the check codes its planted faults must raise (and no
other warning or error). Deterministic: ``cases()`` always returns the same set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from parsing import schema

UNITS = (("友谊县", "兴隆镇"), ("宝清县", "七星泡镇"), ("饶河县", "西丰镇"), ("集贤县", "升昌镇"),
         ("桦川县", "悦来镇"), ("汤原县", "香兰镇"), ("依兰县", "达连河镇"), ("木兰县", "东兴镇"))
FILLER = (
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实政府信息公开条例",
    "严格落实政府信息公开属性源头认定机制，确保应公开尽公开",
    "围绕乡村振兴、安全生产、民生保障等重点领域及时发布政策信息",
    "进一步规范依申请公开办理流程，严格按照法定时限答复申请人",
    "加强政府信息公开平台建设，及时更新栏目内容并清理过期信息",
    "建立健全信息发布审核制度，落实三审三校要求，防止泄密和错误",
    "组织全体工作人员参加政务公开业务培训，提升工作能力和水平",
    "将政务公开工作纳入年度绩效考核，压实各部门工作责任",
    "主动公开内容与群众关切结合不够紧密，政策解读形式较为单一",
    "工作人员业务能力有待提升，信息更新不够及时",
    "下一步将加强业务学习，丰富政策解读形式，提高公开质量",
    "持续做好政府信息公开工作年度报告的编制和发布工作",
    "通过政务公开栏、微信公众号等多种渠道发布惠民惠农政策",
    "认真办理人大代表建议和政协委员提案，并按要求公开办理结果",
    "落实政府信息管理动态调整机制，定期开展已公开信息清理",
    "强化监督保障，主动接受社会监督，畅通群众意见反馈渠道",
)
PLANTS = {   # planted fault → check codes it must raise (warning or error)
    "balance": {"applications.balance"},
    "total_rows": {"applications.total_rows"},
    "total_column": {"applications.total_column", "applications.total_rows"},
    "review": {"review_litigation.sums"},
    "prose": {"text.numbers_vs_tables"},
    "blank": {"tables.blank_cells"},
    "truncated": {"tables.missing_cells"},
    "carried_over": {"applications.carried_over_vs_previous"},
    "copied": {"text.copied_from_previous"},
    "old_format": {"format.old_format"},
}


@dataclass
class Case:
    name: str
    fmt: str
    year: int
    county: str
    township: str
    values: dict
    sentences: list[str]
    plants: tuple[str, ...] = ()
    truncate_after: int | None = None   # index in the application rows after which table 三 is cut
    previous: str | None = None         # name of the case that is this unit's report for year − 1
    prose_numbers: dict = field(default_factory=dict)   # what the prose says (may differ from the cells)

    @property
    def agency(self) -> str:
        return self.township + "人民政府"

    @property
    def title(self) -> str:
        return f"{self.county}{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def app_rows(self) -> tuple:
        rows = schema.application_rows(self.fmt)
        return rows if self.truncate_after is None else rows[:self.truncate_after + 1]

    @property
    def missing(self) -> set[str]:
        kept = {f"applications.{r.key}." for r in self.app_rows}
        return {p for p in schema.cell_paths(self.fmt)
                if p.startswith("applications.") and not p.startswith(tuple(kept))}

    @property
    def expected_codes(self) -> set[str]:
        return set().union(*(PLANTS[p] for p in self.plants)) if self.plants else set()


PARTS = [c for c, _ in schema.APPLICANT_COLUMNS if c != "total"]


def consistent(rng: random.Random, fmt: str, carried_over: dict | None = None) -> dict:
    """Non-zero values satisfying every identity of DOMAIN.md §3 (checks 1–4)."""
    values: dict = {}
    for block in schema.proactive_blocks(fmt):
        for row in block.rows:
            for col, _ in block.columns:
                path = f"proactive.{row.key}.{col}"
                values[path] = (rng.randint(1, 99999) / 100 if col == "amount"
                                else rng.randint(-20, 20) or 1 if col == "change" else rng.randint(1, 300))
    leaves = [r.key for r in schema.application_rows(fmt) if r.key.startswith(schema.RESULT_ROW_PREFIXES)
              and r.key != "total"]
    for col in PARTS:
        for key in leaves:
            values[f"applications.{key}.{col}"] = rng.randint(0, 9) if rng.random() < 0.7 else rng.randint(10, 60)
        total = sum(values[f"applications.{k}.{col}"] for k in leaves)
        over = carried_over[col] if carried_over else rng.randint(0, 12)
        forward = max(0, over - total) + rng.randint(0, 12)
        values.update({f"applications.total.{col}": total, f"applications.carried_forward.{col}": forward,
                       f"applications.carried_over.{col}": over, f"applications.new.{col}": total + forward - over})
    for row in schema.application_rows(fmt):
        values[f"applications.{row.key}.total"] = sum(values[f"applications.{row.key}.{c}"] for c in PARTS)
    for block, _ in schema.REVIEW_BLOCKS:
        parts = {c: rng.randint(0, 9) for c, _ in schema.REVIEW_COLUMNS if c != "total"}
        values.update({f"review_litigation.{block}.{c}": v for c, v in parts.items()})
        values[f"review_litigation.{block}.total"] = sum(parts.values())
    return values


def _plant(case: Case, rng: random.Random) -> None:
    v, bump = case.values, rng.randint(1, 5)
    col = rng.choice(PARTS)
    if "balance" in case.plants:
        v[f"applications.new.{col}"] += bump; v["applications.new.total"] += bump
    if "total_rows" in case.plants:
        v[f"applications.granted.{col}"] += bump; v["applications.granted.total"] += bump
    if "total_column" in case.plants:
        v["applications.withheld.third_party.total"] += bump
    if "review" in case.plants:
        v["review_litigation.review.upheld"] += bump
    if "blank" in case.plants:
        for path in rng.sample(sorted(p for p in v if p.startswith("proactive.")), 3):
            v[path] = None
    _prose(case)
    if "prose" in case.plants:
        case.prose_numbers["new"] += bump


def _prose(case: Case) -> None:
    v = case.values
    case.prose_numbers = {"new": v["applications.new.total"], "review": v["review_litigation.review.total"]}


def cases() -> list[Case]:
    """The generated set: clean reports of both formats, each fault alone, and cross-year pairs."""
    rng = random.Random(20240131)
    out: list[Case] = []

    def add(name, fmt, year, unit, plants=(), previous=None, truncate=None, same_text=False):
        prev = next((c for c in out if c.name == previous), None)
        carried = ({col: prev.values[f"applications.carried_forward.{col}"] for col in PARTS}
                   if prev and "carried_over" not in plants else None)
        values = consistent(rng, fmt, carried)
        if prev and "carried_over" in plants:   # make sure at least one column disagrees
            values["applications.carried_over.natural_person"] = prev.values["applications.carried_forward.natural_person"] + 1
            values = _rebalance(values)
        sents = list(prev.sentences) if same_text else rng.sample(
            [s for s in FILLER if not prev or s not in prev.sentences], 6)
        case = Case(name, fmt, year, *UNITS[unit], values, sents, tuple(plants), truncate, previous)
        _plant(case, rng)
        out.append(case)

    add("clean_2021_a", "2021", 2022, 0)
    add("clean_2021_b", "2021", 2023, 1)
    add("clean_2019_a", "2019", 2020, 2)
    add("clean_2019_b", "2019", 2019, 3)
    for n, plant in enumerate(("balance", "total_rows", "total_column", "review", "prose", "blank")):
        add(f"{plant}_2021", "2021", 2022, 4 + n % 4, (plant,))
    add("balance_2019", "2019", 2020, 5, ("balance",))
    add("review_2019", "2019", 2019, 6, ("review",))
    add("truncated_2021", "2021", 2022, 7, ("truncated",), truncate=13)
    add("truncated_2019", "2019", 2020, 0, ("truncated",), truncate=17)
    add("old_format_2021", "2019", 2021, 1, ("old_format",))
    add("pair_2022", "2021", 2022, 2)
    add("pair_2023_clean", "2021", 2023, 2, previous="pair_2022")
    add("pair_2023_carried", "2021", 2023, 2, ("carried_over",), previous="pair_2022")
    add("pair_2023_copied", "2021", 2023, 2, ("copied",), previous="pair_2022", same_text=True)
    add("multi_2021", "2021", 2023, 3, ("balance", "review", "prose"))
    return out


def _rebalance(values: dict) -> dict:
    """After changing a carried-over cell, restore checks 1–4 through the 新收 row."""
    for col in PARTS:
        values[f"applications.new.{col}"] = (values[f"applications.total.{col}"]
                                             + values[f"applications.carried_forward.{col}"]
                                             - values[f"applications.carried_over.{col}"])
        if values[f"applications.new.{col}"] < 0:
            values[f"applications.carried_forward.{col}"] -= values[f"applications.new.{col}"]
            values[f"applications.new.{col}"] = 0
    for key in ("new", "carried_over", "carried_forward"):
        values[f"applications.{key}.total"] = sum(values[f"applications.{key}.{c}"] for c in PARTS)
    return values
