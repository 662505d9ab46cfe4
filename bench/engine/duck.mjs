// duck.mjs - the DuckDB peer of bench/engine: loads the generated CSV files, computes the
// yearly and monthly roll-ups of every unit (closure table + GROUP BY) and met/exceeded
// against the yearly targets, and prints the same checksums as engine_bench.
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
const y = await ck('yy', false), m = await ck('ym', true);
const s = (await c.runAndReadAll(`SELECT
  count(*) FILTER (WHERE tv IS NOT NULL AND round(f / 10000.0, d) = round(tv, d))::BIGINT,
  count(*) FILTER (WHERE tv IS NOT NULL AND ((dir = 'down' AND round(f / 10000.0, d) < round(tv, d))
                                          OR (dir <> 'down' AND round(f / 10000.0, d) > round(tv, d))))::BIGINT
  FROM st`)).getRows()[0].map(String);
console.log(`DuckDB load of the CSV files: ${tLoad.toFixed(3)} s`);
console.log(`DuckDB closure table + GROUP BY (years and months, with targets): ${tRoll.toFixed(3)} s`);
console.log(`DUCKDB_SECONDS ${tRoll.toFixed(4)}`);
console.log(`DUCKDB_CHECK ${y[0]} ${y[1]} ${y[2]} ${s[0]} ${s[1]} ${m[0]} ${m[1]} ${m[2]}`);
