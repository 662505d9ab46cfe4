// duck_conv.mjs - the DuckDB peer of conv_bench: the same roll-up on today's structure after the
// reorganisation of 1/7/2025, with a correspondence table (succ.csv: from, to, share), for 2024
// (every new unit's figures converted from its predecessors) and 2025 (straddling: the first half
// converted, the second the new unit's own), and met/exceeded against the yearly targets; prints
// the same checksums as conv_bench.  The rules are the engine's (docs/internals/engine.md): a
// converted figure needs every predecessor's, each part is rounded half away from zero to 10^-4,
// a period is converted where it lies wholly before the date (months, 2024, 2025's first half).
// Usage: node duck_conv.mjs DATA_DIR OUT_DIR [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

// DUCK_FILE=PATH keeps DuckDB's tables in a file instead of memory and DUCK_MEMORY=16GB caps its
// memory (it spills to DUCK_FILE's .tmp beside it): at L an in-memory run would need more than the
// machine has (at M it peaked at 1,78 GB resident).
const [dir, out, threads] = [process.argv[2], process.argv[3], process.argv[4] || '2'];
const opts = { threads };
if (process.env.DUCK_MEMORY) opts.memory_limit = process.env.DUCK_MEMORY;
const db = await DuckDBInstance.create(process.env.DUCK_FILE || ':memory:', opts);
const c = await db.connect();
const t = () => performance.now() / 1000;
let t0 = t();
for (const [name, d] of [['units', dir], ['indicators', dir], ['targets', dir], ['values', dir],
                         ['units_new', out], ['succ', out], ['values_new', out]])
  await c.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${d}/${name}.csv', header=true, all_varchar=true)`);
const tLoad = t() - t0;
const P = 1000003;
const sql = `
CREATE OR REPLACE TABLE s AS SELECT "from" AS f_unit, "to" AS t_unit, share::DOUBLE AS share FROM succ;
CREATE OR REPLACE TABLE npred AS SELECT t_unit, count(*) AS n FROM s GROUP BY ALL;
CREATE OR REPLACE TABLE v AS
  SELECT indicator, unit, substr(period,1,4)::INT AS y, substr(period,6,2)::INT AS m,
         round(value::DOUBLE * 10000)::BIGINT AS f
  FROM (SELECT * FROM "values" UNION ALL SELECT * FROM values_new) WHERE substr(period,1,4) IN ('2024','2025');
CREATE OR REPLACE TABLE today AS
  SELECT code, parent FROM units WHERE code NOT IN (SELECT f_unit FROM s)
  UNION ALL SELECT code, parent FROM units_new;
-- the predecessors' figures of the periods wholly before 1/7/2025 (m 0: the year 2024, 13: 2025's
-- first half; each needs all its months)
CREATE OR REPLACE TABLE pf AS
  WITH pv AS (SELECT * FROM v WHERE unit IN (SELECT f_unit FROM s))
  SELECT unit, indicator, y, m, f FROM pv WHERE y = 2024 OR m <= 6
  UNION ALL SELECT unit, indicator, 2024, 0, sum(f) FROM pv WHERE y = 2024 GROUP BY ALL HAVING count(*) = 12
  UNION ALL SELECT unit, indicator, 2025, 13, sum(f) FROM pv WHERE y = 2025 AND m <= 6 GROUP BY ALL HAVING count(*) = 6;
-- converted through the correspondence table: every predecessor's part, each rounded
CREATE OR REPLACE TABLE conv AS
  SELECT s.t_unit AS unit, pf.indicator, pf.y, pf.m, sum(round(pf.f * s.share)::BIGINT) AS f, count(*) AS parts
  FROM s JOIN pf ON pf.unit = s.f_unit GROUP BY ALL;
CREATE OR REPLACE TABLE cv AS
  SELECT conv.unit, indicator, y, m, f FROM conv JOIN npred ON npred.t_unit = conv.unit WHERE parts = npred.n;
-- today's leaves: the units that stayed as they were, and the new ones
CREATE OR REPLACE TABLE own AS SELECT v.* FROM v JOIN today ON today.code = v.unit;
CREATE OR REPLACE TABLE lf AS
  SELECT unit, indicator, y, m, f FROM own WHERE unit NOT IN (SELECT code FROM units_new)
  UNION ALL SELECT unit, indicator, y, 0, sum(f) FROM own WHERE unit NOT IN (SELECT code FROM units_new)
    GROUP BY ALL HAVING count(*) = 12
  UNION ALL SELECT unit, indicator, y, m, f FROM cv WHERE m BETWEEN 1 AND 12
  UNION ALL SELECT unit, indicator, y, 0, f FROM cv WHERE y = 2024 AND m = 0
  UNION ALL SELECT unit, indicator, y, m, f FROM own WHERE unit IN (SELECT code FROM units_new)
  UNION ALL SELECT cv.unit, cv.indicator, 2025, 0, cv.f + h2.f FROM cv
    JOIN (SELECT unit, indicator, sum(f) AS f FROM own WHERE unit IN (SELECT code FROM units_new) AND y = 2025
          AND m >= 7 GROUP BY ALL HAVING count(*) = 6) h2 ON h2.unit = cv.unit AND h2.indicator = cv.indicator
    WHERE cv.y = 2025 AND cv.m = 13;
-- rolled up on today's tree
CREATE OR REPLACE TABLE closure AS
  WITH RECURSIVE cl(anc, des) AS (SELECT code, code FROM today
    UNION ALL SELECT cl.anc, today.code FROM cl JOIN today ON today.parent = cl.des)
  SELECT * FROM cl;
CREATE OR REPLACE TABLE r AS SELECT closure.anc AS unit, lf.indicator, lf.y, lf.m, sum(lf.f) AS f
  FROM lf JOIN closure ON closure.des = lf.unit GROUP BY ALL;
CREATE OR REPLACE TABLE st AS SELECT r.*, i.direction AS dir, i.decimals::INT AS d, tg.target::DOUBLE AS tv
  FROM r JOIN indicators i ON i.code = r.indicator
  LEFT JOIN targets tg ON tg.indicator = r.indicator AND tg.unit = r.unit AND tg.period::INT = r.y
  WHERE r.m = 0;`;
t0 = t();
await c.run(sql);
const tConv = t() - t0;
const ck = (await c.runAndReadAll(`SELECT count(*)::BIGINT, sum(f)::BIGINT,
    (sum(((f % ${P} + ${P}) % ${P}) * ((substr(unit,2)::BIGINT * 131 + substr(indicator,2)::BIGINT * 7 + y * 13 + m) % ${P}) % ${P}) % ${P})::BIGINT
    FROM r`)).getRows()[0].map(String);
const s = (await c.runAndReadAll(`SELECT
  count(*) FILTER (WHERE tv IS NOT NULL AND round(f / 10000.0, d) = round(tv, d))::BIGINT,
  count(*) FILTER (WHERE tv IS NOT NULL AND ((dir = 'down' AND round(f / 10000.0, d) < round(tv, d))
                                          OR (dir <> 'down' AND round(f / 10000.0, d) > round(tv, d))))::BIGINT
  FROM st`)).getRows()[0].map(String);
console.log(`DuckDB load of the CSV files (with the correspondence table): ${tLoad.toFixed(3)} s`);
console.log(`DuckDB conversion through the correspondence table + roll-up on today's tree + targets, 2024-2025: ${tConv.toFixed(3)} s`);
console.log(`DUCKDB_CONV_SECONDS ${tConv.toFixed(4)}`);
console.log(`DUCKDB_CONV_CHECK ${ck[0]} ${ck[1]} ${ck[2]} ${s[0]} ${s[1]}`);
