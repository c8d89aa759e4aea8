"""Compliance (deadline rules, evaluation, statuses); later the long-running scheduler and alerts."""

from .compliance import evaluate
from .deadlines import DEFAULT_RULES, Deadline, adjust, deadline_for, pick_rule
from .models import Alert, ComplianceStatus, DeadlineRule
from .status import FIELDS, list_statuses, to_csv

__all__ = ["Alert", "ComplianceStatus", "DEFAULT_RULES", "Deadline", "DeadlineRule", "FIELDS", "adjust",
           "deadline_for", "evaluate", "list_statuses", "pick_rule", "to_csv"]
