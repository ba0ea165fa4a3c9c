// 某区的结对关系 — the places a Shanghai district supports in a year, by programme and prefecture.
// Neo4j Browser:  :param district => '闵行区';  :param year => 2024
MATCH (d:District {name: $district})<-[:SUPPORTER]-(p:Pairing)-[:SUPPORTED]->(place)
WHERE (p.valid_from IS NULL OR p.valid_from <= $year) AND (p.valid_to IS NULL OR p.valid_to >= $year)
MATCH (p)-[:UNDER]->(programme:Program)
OPTIONAL MATCH (place)-[:PART_OF]->(parent)
RETURN programme.name AS programme, parent.name AS parent, place.name AS place, place.level AS level,
       p.valid_from AS valid_from, p.valid_to AS valid_to, p.source AS source
ORDER BY programme, parent, place
