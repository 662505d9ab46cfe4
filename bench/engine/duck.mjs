// duck.mjs - the DuckDB peer of bench/engine: loads the generated CSV files, computes the
// yearly and monthly roll-ups of every unit (closure table + GROUP BY, and again level by level)
// and met/exceeded against the yearly targets, and prints the same checksums as engine_bench.
// Usage: node duck.mjs DATA_DIR [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, threads] = [process.argv[2], process.argv[3] || '2'];
const db = await DuckDBInstance.create(':memory:', { threads });
const c = await db.connect();
const t = () => performance.now() / 1000;
let t0 = t();
for (const name of ['units', 'indicators', 'targets', 'values'])
  await c.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${dir}/${name}.csv', header=true, all_varchar=true)`);
const tLoad = t() - t0;
const P = 1000003;
const sql = `
CREATE OR REPLACE TABLE closure AS
  WITH RECURSIVE c(anc, des) AS (SELECT code, code FROM units
    UNION ALL SELECT c.anc, u.code FROM c JOIN units u ON u.parent = c.des)
  SELECT * FROM c;
CREATE OR REPLACE TABLE v AS SELECT indicator, unit, substr(period,1,4)::INT AS y, substr(period,6,2)::INT AS m,
  round(value::DOUBLE * 10000)::BIGINT AS f FROM "values";
CREATE OR REPLACE TABLE ym AS SELECT c.anc AS unit, v.indicator, v.y, v.m, sum(v.f) AS f
  FROM v JOIN closure c ON c.des = v.unit GROUP BY ALL;
CREATE OR REPLACE TABLE yy AS SELECT unit, indicator, y, sum(f) AS f FROM ym GROUP BY ALL;
CREATE OR REPLACE TABLE st AS SELECT yy.*, i.direction AS dir, i.decimals::INT AS d, t.target::DOUBLE AS tv
  FROM yy JOIN indicators i ON i.code = yy.indicator
  LEFT JOIN targets t ON t.indicator = yy.indicator AND t.unit = yy.unit AND t.period::INT = yy.y;`;
t0 = t();
await c.run(sql);
const tRoll = t() - t0;
const ck = async (table, month) => {
  const r = await c.runAndReadAll(`SELECT count(*)::BIGINT, sum(f)::BIGINT,
    (sum(((f % ${P} + ${P}) % ${P}) * ((substr(unit,2)::BIGINT * 131 + substr(indicator,2)::BIGINT * 7 + y * 13 + ${month ? 'm' : 0}) % ${P}) % ${P}) % ${P})::BIGINT
    FROM ${table}`);
  return r.getRows()[0].map(String);
};
// The same figures level by level: each level's monthly sums grouped under the parents, from the
// deepest level up (each GROUP BY reads the level below, not every ancestor of every value).
const levelwise = async () => {
  await c.run(`CREATE OR REPLACE TABLE ud AS WITH RECURSIVE d(code, parent, depth) AS (
      SELECT code, parent, 0 FROM units WHERE coalesce(parent, '') = ''
      UNION ALL SELECT u.code, u.parent, d.depth + 1 FROM units u JOIN d ON u.parent = d.code)
    SELECT * FROM d`);
  const maxd = Number((await c.runAndReadAll('SELECT max(depth) FROM ud')).getRows()[0][0]);
  const own = (d) => `SELECT v.unit, v.indicator, v.y, v.m, v.f FROM v JOIN ud ON ud.code = v.unit AND ud.depth = ${d}`;
  await c.run(`CREATE OR REPLACE TABLE l${maxd} AS SELECT unit, indicator, y, m, sum(f) AS f FROM (${own(maxd)}) GROUP BY ALL`);
  for (let d = maxd - 1; d >= 0; d--)
    await c.run(`CREATE OR REPLACE TABLE l${d} AS SELECT unit, indicator, y, m, sum(f) AS f FROM (
        SELECT ud.parent AS unit, l.indicator, l.y, l.m, l.f FROM l${d + 1} l JOIN ud ON ud.code = l.unit
        UNION ALL ${own(d)}) GROUP BY ALL`);
  const all = Array.from({ length: maxd + 1 }, (_, d) => `SELECT * FROM l${d}`).join(' UNION ALL ');
  await c.run(`CREATE OR REPLACE TABLE ym2 AS ${all};
    CREATE OR REPLACE TABLE yy2 AS SELECT unit, indicator, y, sum(f) AS f FROM ym2 GROUP BY ALL;
    CREATE OR REPLACE TABLE st2 AS SELECT yy2.*, i.direction AS dir, i.decimals::INT AS d, t.target::DOUBLE AS tv
      FROM yy2 JOIN indicators i ON i.code = yy2.indicator
      LEFT JOIN targets t ON t.indicator = yy2.indicator AND t.unit = yy2.unit AND t.period::INT = yy2.y;`);
};
t0 = t();
await levelwise();
const tLevel = t() - t0;
const y = await ck('yy', false), m = await ck('ym', true);
const y2 = await ck('yy2', false), m2 = await ck('ym2', true);
const status = async (table) => (await c.runAndReadAll(`SELECT
  count(*) FILTER (WHERE tv IS NOT NULL AND round(f / 10000.0, d) = round(tv, d))::BIGINT,
  count(*) FILTER (WHERE tv IS NOT NULL AND ((dir = 'down' AND round(f / 10000.0, d) < round(tv, d))
                                          OR (dir <> 'down' AND round(f / 10000.0, d) > round(tv, d))))::BIGINT
  FROM ${table}`)).getRows()[0].map(String);
const s = await status('st'), s2 = await status('st2');
console.log(`DuckDB load of the CSV files: ${tLoad.toFixed(3)} s`);
console.log(`DuckDB closure table + GROUP BY (years and months, with targets): ${tRoll.toFixed(3)} s`);
console.log(`DUCKDB_SECONDS ${tRoll.toFixed(4)}`);
console.log(`DuckDB level by level (each level grouped under its parents, deepest first): ${tLevel.toFixed(3)} s`);
console.log(`DUCKDB_LEVEL_SECONDS ${tLevel.toFixed(4)}`);
console.log(`DUCKDB_CHECK ${y[0]} ${y[1]} ${y[2]} ${s[0]} ${s[1]} ${m[0]} ${m[1]} ${m[2]}`);
console.log(`DUCKDB_LEVEL_CHECK ${y2[0]} ${y2[1]} ${y2[2]} ${s2[0]} ${s2[1]} ${m2[0]} ${m2[1]} ${m2[2]}`);
