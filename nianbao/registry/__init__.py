"""The registry: administrative units, their code history and aliases, and the portals they publish on."""

from .importer import ImportResult, RegistryError, import_registry
from .lookup import UnitMatcher
from .models import LEVELS, Portal, Unit, UnitAlias, UnitCode
from .names import stem

__all__ = ["ImportResult", "LEVELS", "Portal", "RegistryError", "Unit", "UnitAlias", "UnitCode",
           "UnitMatcher", "import_registry", "stem"]
