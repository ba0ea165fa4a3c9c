"""Every setting of aidgraph, read once from the environment (pydantic-settings).

Nothing else in the package reads ``os.environ``: the command line, the server
and the stores take a ``Settings`` (or its ``neo4j`` part). The variables are
listed in the README's configuration table.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
StoreName = Literal["embedded", "neo4j"]
STORES: tuple[str, ...] = ("embedded", "neo4j")


class Neo4jSettings(BaseSettings):
    """The Neo4j server for ``neo4j push`` and ``--store neo4j`` (``NEO4J_*``)."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore", populate_by_name=True)

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str = "neo4j"
    batch_rows: int = Field(5000, ge=1, validation_alias="AIDGRAPH_NEO4J_BATCH_ROWS")
    batch_bytes: int = Field(8_000_000, ge=512, validation_alias="AIDGRAPH_NEO4J_BATCH_BYTES")
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


class Settings(BaseSettings):
    """``AIDGRAPH_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="AIDGRAPH_", extra="ignore")

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
    """The settings of the environment as it is now."""
    return Settings()


def data_dir() -> Path:
    """Folder holding ``sources/`` and ``curated/`` (``AIDGRAPH_DATA`` overrides)."""
    return get_settings().data
