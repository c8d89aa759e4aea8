from datetime import date

import pytest

from scheduler.deadlines import DEFAULT_RULES, adjust, deadline_for, pick_rule
from scheduler.models import DeadlineRule

RULES = [DeadlineRule(jurisdiction=None, **r) for r in DEFAULT_RULES]
HEILONGJIANG, YOUYI = "230000000000", "230522000000"


@pytest.mark.parametrize("kind, year, strict, adjusted", [
    ("township", 2024, date(2025, 1, 31), date(2025, 2, 5)),      # inside the 2025 Spring Festival holiday
    ("township", 2025, date(2026, 1, 31), date(2026, 2, 2)),      # a Saturday
    ("township", 2020, date(2021, 1, 31), date(2021, 2, 1)),      # a Sunday
    ("township", 2022, date(2023, 1, 31), date(2023, 1, 31)),     # a Tuesday: unchanged
    ("county_gov", 2023, date(2024, 3, 31), date(2024, 4, 1)),    # 3/31 on a Sunday
    ("department", 2023, date(2024, 1, 31), date(2024, 1, 31)),
    ("township", 2018, date(2019, 3, 31), date(2019, 4, 1)),      # the 2007 条例: everyone by 3/31
])
def test_default_deadlines(kind, year, strict, adjusted):
    deadline = deadline_for(pick_rule(RULES, kind, year, []), year)
    assert (deadline.strict, deadline.adjusted) == (strict, adjusted)


def test_township_default_is_marked_as_practice():
    assert pick_rule(RULES, "township", 2022, []).confidence == "practice"


def test_county_government_rule_cites_article_49():
    assert "第四十九条" in pick_rule(RULES, "county_gov", 2022, []).source


@pytest.mark.parametrize("codes, year, expected", [
    ([YOUYI, HEILONGJIANG], 2022, (3, 25)),   # the county override wins
    ([HEILONGJIANG], 2022, (2, 15)),          # the province override applies elsewhere in the province
    ([YOUYI, HEILONGJIANG], 2021, (2, 15)),   # outside the county rule's years
    (["110000000000"], 2022, (1, 31)),        # another province: the national default
])
def test_most_specific_rule_wins(codes, year, expected):
    rules = RULES + [
        DeadlineRule(jurisdiction=HEILONGJIANG, applies_to="township", year_from=2019, due_month=2, due_day=15, source="省通知"),
        DeadlineRule(jurisdiction=YOUYI, applies_to="township", year_from=2022, year_to=2022, due_month=3, due_day=25, source="县通知"),
    ]
    rule = pick_rule(rules, "township", year, codes)
    assert (rule.due_month, rule.due_day) == expected


def test_years_beyond_the_calendar_fall_back_to_weekends():
    day, known = adjust(date(2027, 1, 31))   # a Sunday, in a year the calendar package does not cover
    assert (day, known) == (date(2027, 2, 1), False)
