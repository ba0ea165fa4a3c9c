// 谁在支援某地 — who supports a place in a year, under which programme, since when, on whose authority.
// The place by its full name, a short form people write, or its division code; pairings that name the
// place itself (via "self") or the prefecture or province it lies in (an aggregate pairing), less the
// parts a pairing leaves out. Neo4j Browser:  :param name => '泸水';  :param year => 2024
MATCH (place)
WHERE (place:County OR place:Prefecture OR place:Province)
  AND (place.name = $name OR place.code = $name OR $name IN place.short_names)
MATCH (place)-[:PART_OF*0..2]->(named)<-[:SUPPORTED]-(p:Pairing)
WHERE (p.valid_from IS NULL OR p.valid_from <= $year) AND (p.valid_to IS NULL OR p.valid_to >= $year)
  AND NOT EXISTS { MATCH (p)-[:EXCLUDES]->(x) WHERE x = place OR (place)-[:PART_OF*1..2]->(x) }
MATCH (p)-[:SUPPORTER]->(supporter)
MATCH (p)-[:UNDER]->(programme:Program)
RETURN place.name AS place, supporter.name AS supporter, programme.name AS programme,
       CASE WHEN named = place THEN 'self' ELSE named.level END AS via,
       p.valid_from AS valid_from, p.valid_to AS valid_to, p.source AS source
ORDER BY supporter, programme, valid_from
