"""Every setting of aidgraph, read once from the environment and checked by pydantic.

Nothing else in the package reads ``os.environ``: the command line, the server
and the stores take a ``Settings`` (or its ``neo4j`` part). The variables are
listed in the README's configuration table. Each field is read from
``<prefix><NAME>`` (``AIDGRAPH_`` or ``NEO4J_``; the name in any case) or from
the variable ``env_names`` gives it; a value given to the constructor wins. A
value that does not fit is refused with its variable named (``BadSetting``),
never replaced by the default. (These few lines replace pydantic-settings, whose
import cost each command 0.16 s of its start.)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import BadSetting

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
StoreName = Literal["embedded", "neo4j"]
STORES: tuple[str, ...] = ("embedded", "neo4j")


class _FromEnvironment(BaseModel):
    """Fields read from the environment (see the module's docstring)."""

    model_config = ConfigDict(extra="ignore")
    env_prefix: ClassVar[str] = ""
    env_names: ClassVar[dict[str, str]] = {}

    @classmethod
    def variable(cls, field: str) -> str:
        """The environment variable of ``field``."""
        return cls.env_names.get(field, cls.env_prefix + field.upper())

    def __init__(self, **values: Any) -> None:
        env = {name.upper(): value for name, value in os.environ.items()}
        read = {name: env[self.variable(name)] for name in type(self).model_fields
                if name not in values and self.variable(name) in env}
        try:
            super().__init__(**{**read, **values})
        except ValidationError as e:
            raise BadSetting(self._problem(e, read)) from None

    @classmethod
    def _problem(cls, e: ValidationError, read: dict[str, str]) -> str:
        parts = []
        for error in e.errors(include_url=False, include_context=False):
            field = str(error["loc"][0]) if error["loc"] else "?"
            info = cls.model_fields.get(field)
            secret = info is None or info.annotation is SecretStr  # a password's value is never shown
            shown = "" if secret else f" = {read.get(field, error.get('input'))!r}"
            where = f"环境变量 {cls.variable(field)}" if field in read else f"设置 {field}"
            parts.append(f"{where}{shown}: {error['msg']}")
        return "；".join(parts)


class Neo4jSettings(_FromEnvironment):
    """The Neo4j server for ``neo4j push`` and ``--store neo4j`` (``NEO4J_*``)."""

    env_prefix: ClassVar[str] = "NEO4J_"
    env_names: ClassVar[dict[str, str]] = {"batch_rows": "AIDGRAPH_NEO4J_BATCH_ROWS",
                                           "batch_bytes": "AIDGRAPH_NEO4J_BATCH_BYTES"}

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str = "neo4j"
    batch_rows: int = Field(5000, ge=1)
    batch_bytes: int = Field(8_000_000, ge=512)
    connection_timeout: float = 10.0
    max_retry_time: float = 15.0

    def with_overrides(self, **values) -> Neo4jSettings:
        """A copy with the given values (``None`` keeps the current one); passwords as plain text."""
        clean = {k: (SecretStr(v) if k == "password" else v) for k, v in values.items() if v is not None}
        return self.model_copy(update=clean)

    def __repr__(self) -> str:  # never show the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aidgraph"


class Settings(_FromEnvironment):
    """``AIDGRAPH_*`` variables."""

    env_prefix: ClassVar[str] = "AIDGRAPH_"

    data: Path = Field(PACKAGE_DATA, description="folder holding sources/ and curated/")
    store: StoreName = "embedded"
    as_of: int | None = Field(None, ge=1949, le=2100,
                              description="the year 'now' means in answers (default: the current year)")
    cache: Path = Field(default_factory=_default_cache, description="folder for the gazetteer cache")
    sparql_max_chars: int = Field(20_000, ge=1)
    sparql_timeout: float = Field(10.0, gt=0)
    sparql_max_rows: int = Field(50_000, ge=1)
    sparql_memory_mb: int = Field(1024, ge=16,
                                  description="memory a SPARQL query may take beyond the server's own (MB)")
    sparql_concurrency: int = Field(2, ge=1, description="SPARQL queries run at once; more are answered 503")
    sparql_max_bytes: int = Field(16_000_000, ge=1024, description="the largest SPARQL answer, in bytes")
    export_concurrency: int = Field(2, ge=1, description="exports made at once; more are answered 503")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="the largest request body, in bytes (413 beyond)")
    header_timeout: float = Field(10.0, gt=0, description="seconds a client has to send a request's head, and "
                                                          "an idle keep-alive connection stays open")
    allowed_hosts: str = Field("localhost,127.0.0.1,::1",
                               description="Host headers the server answers, comma-separated "
                                           "(`serve --host` adds its own)")

    @property
    def neo4j(self) -> Neo4jSettings:
        return Neo4jSettings()


def as_of_year(text: str) -> int:
    """``2026`` or ``2026-11-23`` -> 2026 (pairings are in force by year); ValueError otherwise."""
    import datetime as dt
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return int(text)
    return dt.date.fromisoformat(text).year


def get_settings() -> Settings:
    """The settings of the environment as it is now; ``BadSetting`` names a variable that does not fit."""
    return Settings()


def data_dir() -> Path:
    """Folder holding ``sources/`` and ``curated/`` (``AIDGRAPH_DATA`` overrides)."""
    return get_settings().data
