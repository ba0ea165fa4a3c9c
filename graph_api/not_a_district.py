"""What the command line and the pages say when a name given as a Shanghai district is a place elsewhere
(泸水 is a county of Yunnan): the place's level, its supporters, and the address of its page."""
from __future__ import annotations

from ..errors import AidgraphError, NotADistrict
from ..queries.service import AidGraph
from ..schema.labels import LEVEL_PHRASE_ZH as LEVEL_PHRASE


def not_a_district_text(aid: AidGraph, e: NotADistrict) -> tuple[str, str]:
    """'泸水市是县级行政区；其支援方为浦东新区（东西部协作）' and the address of its page."""
    phrase = LEVEL_PHRASE.get(e.level, e.level)
    try:
        ans = aid.who_supports(e.code)
        sups = "、".join(dict.fromkeys(f"{s.name}（{s.program}）" for s in ans.supporters))
    except AidgraphError:
        sups = ""
    text = (f"{e.name}是{phrase}" + (f"；其支援方为{sups}。" if sups else "；来源中没有它的支援方。")
            + "它不是上海市的区。")
    kind = "district" if e.level in ("district", "municipality") else "place"
    return text, f"/{kind}/{e.code}"
