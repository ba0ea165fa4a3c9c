"""Answers assembled from parts kept between questions (each task's answer, made once, shared by every
answer listing the task; `AidGraph.warm` makes them all before a server answers) are the answers made
afresh: the same for every paired place and unit, and no answer can change a part another shares."""
from __future__ import annotations

import pydantic
import pytest

from aidgraph.graph_api.runtime import open_aidgraph


@pytest.fixture(scope="module")
def fresh_and_warm():
    """Two graphs of the same data: one asked cold, question by question; one warmed as `serve` warms it."""
    warm = open_aidgraph("embedded")
    warm.warm()
    return open_aidgraph("embedded"), warm


def _places(aid) -> list[str]:
    return sorted({r.place.removeprefix("place:") for r in aid.store.pairings()})


def test_every_place_answers_the_same_warm_as_fresh(fresh_and_warm):
    fresh, warm = fresh_and_warm
    places = _places(fresh)
    assert len(places) > 100  # the seed's paired places: every one asked
    asked_tasks = 0
    for code in places:
        a, b = fresh.who_supports(code), warm.who_supports(code)
        assert a.model_dump_json() == b.model_dump_json(), code
        asked_tasks += len(a.tasks)
    assert asked_tasks > 0  # the seed's work points name paired places: the kept parts were used


def test_every_district_s_tasks_and_units_answer_the_same_warm_as_fresh(fresh_and_warm):
    fresh, warm = fresh_and_warm
    districts = sorted({t.district for t in fresh.store.tasks()})
    assert districts  # the seed's work points: each district that has any asked
    for district in districts:
        name = fresh.place_name(district)
        a = fresh.tasks(district=name)
        assert a and [t.model_dump() for t in a] == [t.model_dump() for t in warm.tasks(district=name)], name
        for unit in sorted({u.name for t in a for u in (*t.lead_units, *t.responsible_units)})[:5]:
            assert ([p.model_dump() for p in fresh.unit(unit, district=name)]
                    == [p.model_dump() for p in warm.unit(unit, district=name)]), (name, unit)


def test_a_kept_task_cannot_be_changed_by_an_answer_that_lists_it(fresh_and_warm):
    _fresh, warm = fresh_and_warm
    task = next(t for code in _places(warm) for t in warm.who_supports(code).tasks)
    with pytest.raises(pydantic.ValidationError):
        task.title = "改过的标题"
    with pytest.raises(pydantic.ValidationError):
        (task.lead_units or task.responsible_units)[0].name = "别的单位"
    again = warm.tasks(district=task.district)
    assert next(t for t in again if t.id == task.id).title == task.title
