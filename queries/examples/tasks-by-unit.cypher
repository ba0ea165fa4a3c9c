// 某单位牵头或负责的任务 — the work-point tasks a unit leads, answers for or cooperates on, in one
// district (by the unit's canonical name or a form the documents write). Neo4j Browser:
//   :param unit => '区人社局';  :param district => '闵行区'
MATCH (d:District {name: $district})<-[:UNIT_OF]-(u:Unit)
WHERE u.name = $unit OR $unit IN u.names_as_written
MATCH (t:Task)-[r:LEAD_UNIT|RESPONSIBLE_UNIT|COOPERATING_UNIT]->(u)
MATCH (t)-[:TASK_OF]->(d)
RETURN d.name AS district, t.year AS year, t.number AS number, t.kind AS kind, t.title AS title,
       CASE type(r) WHEN 'LEAD_UNIT' THEN '牵头单位' WHEN 'RESPONSIBLE_UNIT' THEN '责任单位' ELSE '配合单位' END AS role,
       r.as_written AS unit_as_written, t.source AS source
ORDER BY year, kind, number, role
