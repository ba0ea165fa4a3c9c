"""Neo4j DDL generated from the schema table at call time: a uniqueness
constraint on every node type's ``id`` and an index on each property declared
``indexed`` (those the named queries look up by), of nodes or relationships."""
from __future__ import annotations

from .model import NODE_TYPES, REL_TYPES

SCHEMA_VERSION = 2          # bump when labels, relationship types or id formats change
META_LABEL = "AidgraphMeta"  # one node recording the schema version a database was written with


def _snake(label: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in label).lstrip("_")


def neo4j_ddl() -> list[str]:
    """Neo4j 5 statements, idempotent (IF NOT EXISTS)."""
    out = []
    for label in sorted(NODE_TYPES):
        out.append(f"CREATE CONSTRAINT {_snake(label)}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
    for label, nt in sorted(NODE_TYPES.items()):
        for prop in nt.lookup:
            out.append(f"CREATE INDEX {_snake(label)}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    for rel, rt in sorted(REL_TYPES.items()):
        for prop in (k for k, p in rt.props.items() if p.indexed):
            out.append(f"CREATE INDEX {rel.lower()}_{prop} IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.{prop})")
    out.append(f"CREATE CONSTRAINT {_snake(META_LABEL)}_id IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.id IS UNIQUE")
    return out


def whitelisted_label(label: str) -> str:
    if label not in NODE_TYPES and label != META_LABEL:
        raise ValueError(f"{label!r} is not a label of the schema")
    return label


def whitelisted_type(rel: str) -> str:
    if rel not in REL_TYPES:
        raise ValueError(f"{rel!r} is not a relationship type of the schema")
    return rel
