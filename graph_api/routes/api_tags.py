"""The API's groups as the documentation (/docs, /redoc) shows them: each named in Chinese first, the
English word after in brackets, and described in Chinese."""
from __future__ import annotations

PLACES = "地点（places）"
DISTRICTS = "上海各区（districts）"
DOCUMENTS = "来源文件（documents）"
CHANGES = "结对调整（changes）"
AGREEMENTS = "合作协议（agreements）"
SEARCH = "查询（search）"
SUBGRAPH = "关系子图（subgraph）"
STATS = "统计（stats）"
TASKS = "任务与单位（tasks and units）"
LINKED_DATA = "关联数据与导出（linked data and exports）"

OPENAPI_TAGS = [
    {"name": PLACES, "description": "地点：县、地州市、省，及其支援方"},
    {"name": DISTRICTS, "description": "上海各区：结对关系与工作任务"},
    {"name": DOCUMENTS, "description": "来源文件：每条事实出自哪份文件；图谱的导入记录"},
    {"name": CHANGES, "description": "结对调整：两个年份之间新增、终止和变更的结对关系"},
    {"name": AGREEMENTS, "description": "合作协议"},
    {"name": SEARCH, "description": "查询地名、单位、文号"},
    {"name": SUBGRAPH, "description": "以某个节点为中心的关系子图"},
    {"name": STATS, "description": "图谱的统计数字"},
    {"name": TASKS, "description": "工作要点中的任务及其牵头、责任单位"},
    {"name": LINKED_DATA, "description": "关联数据（SPARQL、RDF）与导出文件"},
]
