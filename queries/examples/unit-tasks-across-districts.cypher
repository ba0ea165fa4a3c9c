// 同名单位在各区的任务 — a unit name (e.g. 援外机构, the front-line aid organisation) in every district's
// work points: how many tasks it leads and answers for, per district and year.
// Neo4j Browser:  :param unit => '援外机构'
MATCH (u:Unit)-[:UNIT_OF]->(d)
WHERE u.name = $unit OR $unit IN u.names_as_written
MATCH (t:Task)-[r:LEAD_UNIT|RESPONSIBLE_UNIT|COOPERATING_UNIT]->(u)
RETURN d.name AS district, t.year AS year,
       count(CASE WHEN type(r) = 'LEAD_UNIT' THEN 1 END) AS leads,
       count(CASE WHEN type(r) = 'RESPONSIBLE_UNIT' THEN 1 END) AS responsible,
       count(CASE WHEN type(r) = 'COOPERATING_UNIT' THEN 1 END) AS cooperating
ORDER BY district, year
