"""The settings read from the environment: each variable by its name in any case, a value that does not
fit refused with the variable named (never replaced by the default, never blamed on --as-of), and a
password never shown."""
from __future__ import annotations

import pytest

from aidgraph.errors import EXIT_REFUSED, BadSetting
from aidgraph.settings import Neo4jSettings, Settings


def test_values_come_from_their_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("AIDGRAPH_STORE", "neo4j")
    monkeypatch.setenv("aidgraph_as_of", "2022")  # any case
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path))
    monkeypatch.setenv("AIDGRAPH_SPARQL_TIMEOUT", "2.5")
    monkeypatch.setenv("AIDGRAPH_NEO4J_BATCH_ROWS", "250")
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7688")
    s = Settings()
    assert (s.store, s.as_of, s.cache, s.sparql_timeout) == ("neo4j", 2022, tmp_path, 2.5)
    assert (s.neo4j.batch_rows, s.neo4j.uri, s.neo4j.user) == (250, "bolt://db.example:7688", "neo4j")
    assert Settings(as_of=2020).as_of == 2020  # a value given to the constructor wins


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("AIDGRAPH_STORE", "sqlite", "'embedded' or 'neo4j'"),
    ("AIDGRAPH_AS_OF", "1800", "greater than or equal to 1949"),
    ("AIDGRAPH_AS_OF", "", "valid integer"),
    ("AIDGRAPH_SPARQL_CONCURRENCY", "two", "valid integer"),
    ("AIDGRAPH_NEO4J_BATCH_ROWS", "0", "greater than or equal to 1"),
])
def test_a_value_that_does_not_fit_is_refused_with_its_variable(monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(BadSetting) as e:
        Settings().neo4j  # noqa: B018  (reading the Neo4j part reads its variables)
    assert variable in e.value.detail and repr(value) in e.value.detail and says in e.value.detail


def test_the_command_line_names_the_variable(cli, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_STORE", "sqlite")
    res = cli("who-supports", "泸水")
    assert res.exit_code == EXIT_REFUSED
    assert "环境变量 AIDGRAPH_STORE = 'sqlite'" in res.stderr and "--as-of" not in res.stderr


def test_a_password_is_never_shown(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", "soon")
    with pytest.raises(BadSetting) as e:
        Neo4jSettings()
    assert "NEO4J_CONNECTION_TIMEOUT" in e.value.detail and "s3cret" not in e.value.detail
    monkeypatch.delenv("NEO4J_CONNECTION_TIMEOUT")
    s = Neo4jSettings()
    assert s.password.get_secret_value() == "s3cret" and "s3cret" not in repr(s)
