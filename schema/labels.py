"""The Chinese words for the schema's terms as users read them: a place's level (县级, 地级 …), a task's
or unit's kind (任务, 保障措施, 前方工作机构 …) and how a typed name matched (简称, 拼音, 英文名 …)."""
from __future__ import annotations

LEVEL_ZH = {"municipality": "市", "district": "区", "province": "省级", "prefecture": "地级", "county": "县级"}
KIND_ZH = {"task": "任务", "safeguard": "保障措施", "unit": "单位", "collective": "集合称谓",
           "front-line": "前方工作机构", "office-outside": "驻外办事处", "guidance": "指导意见", "plan": "规划",
           "work-points": "工作要点", "notice": "通知"}
FORM_KIND_ZH = {"full": "全称", "short": "简称", "former": "旧称", "alias": "别称", "code": "代码",
                "qualified": "限定名称", "traditional": "繁体或异体字", "pinyin": "拼音", "english": "英文名",
                "code-within": "辖区内的代码"}
