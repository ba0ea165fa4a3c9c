"""The one way aidgraph talks to Neo4j: a driver from ``Neo4jSettings``, and
driver errors turned into one line a user can act on (``StoreUnavailable``).
Used by the writer (``neo4j_push``) and the reader (``neo4j_store``)."""
from __future__ import annotations

from neo4j import Driver, GraphDatabase
from neo4j import exceptions as nx

from ..errors import StoreUnavailable
from ..settings import Neo4jSettings

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DRIVER_ERRORS = (nx.Neo4jError, nx.DriverError, OSError)


def connect(settings: Neo4jSettings) -> Driver:
    scheme = settings.uri.split("://", 1)[0] if "://" in settings.uri else ""
    if scheme not in SCHEMES:
        raise StoreUnavailable(f"NEO4J_URI {settings.uri!r} is not a valid Neo4j address: "
                               f"use one of {', '.join(s + '://' for s in SCHEMES)}")
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password.get_secret_value()),
                                      connection_timeout=settings.connection_timeout,
                                      max_transaction_retry_time=settings.max_retry_time,
                                      # no planner notes in users' terminals (an empty database has none of
                                      # the schema's relationship types yet); the tests plan every statement
                                      # with EXPLAIN and fail on any warning
                                      notifications_min_severity="OFF")
        driver.verify_connectivity()
    except ValueError as e:
        raise StoreUnavailable(f"NEO4J_URI {settings.uri!r} is not a valid Neo4j address: {e}") from None
    except nx.AuthError:
        raise StoreUnavailable(f"Neo4j at {settings.uri} refused the user name or password "
                               "(NEO4J_USER / NEO4J_PASSWORD)") from None
    except (nx.ServiceUnavailable, OSError):
        raise StoreUnavailable(f"cannot reach Neo4j at {settings.uri}: "
                               "is the server running and the address right?") from None
    return driver


def translate(e: Exception, settings: Neo4jSettings) -> StoreUnavailable:
    """A driver error -> one line a user can act on."""
    code = getattr(e, "code", "") or ""
    if isinstance(e, nx.AuthError):
        return StoreUnavailable(f"Neo4j at {settings.uri} refused the user name or password")
    if "DatabaseNotFound" in code:
        return StoreUnavailable(f"Neo4j at {settings.uri} has no database {settings.database!r} (NEO4J_DATABASE)")
    if isinstance(e, (nx.ServiceUnavailable, nx.SessionExpired, nx.IncompleteCommit, OSError)):
        return StoreUnavailable(f"lost the connection to Neo4j at {settings.uri}; nothing half-done stays: push again")
    return StoreUnavailable(f"Neo4j at {settings.uri} answered: {getattr(e, 'message', None) or e}")
