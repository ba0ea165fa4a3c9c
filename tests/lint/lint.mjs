// Neo4j's own Cypher linter over statements given as JSON on stdin:
//   {"schema": {labels, relationshipTypes, propertyKeys},
//    "statements": [{"query": "...", "parameters": {...}, "mapKeys": [...]}]}
// prints, as JSON, one list of diagnostics per statement: [{"severity": 1|2, "message", "start", "end"}]
// (severity 1 = error, 2 = warning). Used by tests/test_cypher_lint.py.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = input.statements.map(({ query, parameters, mapKeys }) => {
  // mapKeys: keys of the maps a statement receives in its parameters (r.id of UNWIND $rows AS r)
  const propertyKeys = [...(input.schema.propertyKeys || []), ...(mapKeys || [])];
  const schema = { ...input.schema, propertyKeys, parameters: parameters || {}, defaultLanguage: 'CYPHER 5' };
  return lintCypherQuery(query, schema).diagnostics.map((d) => ({
    severity: d.severity, message: d.message, start: d.offsets.start, end: d.offsets.end,
  }));
});
process.stdout.write(JSON.stringify(out));
