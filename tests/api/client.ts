// client.ts - a small client of chitieu's API typed by what openapi-typescript generates from
// docs/openapi.json (gen/schema.d.ts, made by run.sh), calling through openapi-fetch.  tsc
// checks every path, parameter, body and field used here against the document, so a client
// written from the document cannot drift from it; then it runs against a live server:
//   - one sync: pages through /values following `next` until it is null, and checks the rows
//     add up to `total`, with no row twice, and match the same list read in one page;
//   - one approval round: an editor submits Cầu Giấy's 2023 figures, the city's approver
//     approves them, the list shows them approved, and the editor can no longer change them.
// Usage: node gen/client.js BASE_URL DOC TOKENS_JSON.  Prints "api-client: N passed, N failed".
import createClient from "openapi-fetch";
import { readFileSync } from "node:fs";
import type { components, paths } from "./gen/schema.js";

type Value = components["schemas"]["Value"];
type ValuesQuery = NonNullable<paths["/values"]["get"]["parameters"]["query"]>;

const [base, docFile, tokensFile] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docFile, "utf8"));
const tok: Record<string, string> = JSON.parse(readFileSync(tokensFile, "utf8"));
let passed = 0;
let failed = 0;
function ok(cond: boolean, what: string): void {
  if (cond) passed++;
  else {
    failed++;
    console.log("api FAIL: client: " + what);
  }
}

// The document's server URL, {scheme}://{host}/api/v1, filled in for this server.
const server = new URL(base);
const baseUrl: string = doc.servers[0].url
  .replace("{scheme}", server.protocol.replace(":", ""))
  .replace("{host}", server.host);
const clientOf = (who: string) =>
  createClient<paths>({ baseUrl, headers: { Authorization: "Bearer " + tok[who] } });

// A `next` link (a path with its query) as the parameters of the next call.
function nextQuery(next: string): ValuesQuery {
  const u = new URL(next, base);
  ok(u.pathname === "/api/v1/values", "next stays on /values: " + next);
  const q: ValuesQuery = {};
  for (const [k, v] of u.searchParams) {
    if (k === "limit" || k === "offset") q[k] = Number(v);
    else if (k === "subtree") q.subtree = v === "true" || v === "1";
    else if (k === "unit" || k === "ind" || k === "period" || k === "within" || k === "from" || k === "to" || k === "snapshot")
      q[k] = v;
    else ok(false, "unknown parameter in next: " + k);
  }
  return q;
}

async function sync(): Promise<void> {
  const api = clientOf("viewer");
  const limit = 400;
  const rows: Value[] = [];
  let query: ValuesQuery | null = { unit: "ha-noi", subtree: true, limit };
  let total = -1;
  let pages = 0;
  while (query) {
    const q: ValuesQuery = query;
    const { data, error } = await api.GET("/values", { params: { query: q } });
    if (!data) {
      ok(false, "sync page " + pages + ": " + JSON.stringify(error));
      return;
    }
    pages++;
    if (total < 0) total = data.total;
    ok(data.total === total, `page ${pages}: the total stays ${total}`);
    ok(data.offset === (pages - 1) * limit, `page ${pages}: offset ${data.offset}`);
    rows.push(...data.values);
    query = data.next === null ? null : nextQuery(data.next);
  }
  ok(total > limit, `the sync needed several pages (${total} rows)`);
  ok(rows.length === total, `the pages add up to the total (${rows.length} of ${total})`);
  ok(pages === Math.ceil(total / limit), `${pages} pages of ${limit}`);
  const keys = new Set(rows.map((r) => `${r.indicator}|${r.unit}|${r.period}`));
  ok(keys.size === rows.length, "no row twice");
  const { data: all } = await api.GET("/values", { params: { query: { unit: "ha-noi", subtree: true, limit: 10000 } } });
  ok(all !== undefined && all.next === null && all.values.length === total, "one big page has the same rows");
  ok(all !== undefined && JSON.stringify(all.values) === JSON.stringify(rows), "in the same order");
}

async function approvalRound(): Promise<void> {
  const editor = clientOf("editor");
  const approver = clientOf("approver");
  const ds = { unit: "cau-giay", period: "2023" };
  const sub = await editor.POST("/approval/submit", { body: ds });
  ok(sub.data?.state === "submitted" && sub.data.by === "caugiay.nhap", "the editor submits: " + JSON.stringify(sub.error));
  const early = await editor.POST("/approval/approve", { body: ds });
  ok(early.response.status === 403 && early.error?.error.code === "forbidden", "the editor may not approve");
  const app = await approver.POST("/approval/approve", { body: ds });
  ok(app.data?.state === "approved" && app.data.by === "tp.duyet", "the city's approver approves: " + JSON.stringify(app.error));
  const list = await approver.GET("/approval", { params: { query: { unit: "cau-giay", period: "2023" } } });
  const row = list.data?.approval.find((s) => s.unit === "cau-giay" && s.period === "2023" && !s.targets);
  ok(row?.state === "approved" && row.by === "tp.duyet", "the list shows it approved");
  const write = await editor.POST("/values", {
    body: { values: [{ indicator: "ket_nap_dang_vien", unit: "cau-giay-dich-vong", period: "2023Q4", value: 7 }] },
  });
  ok(write.response.status === 422 && (write.error?.error.rows ?? []).some((r) => r.field === "locked"),
     "a ward's figure within the approved year is locked: " + JSON.stringify(write.error));
}

try {
  await sync();
  await approvalRound();
} catch (e) {
  ok(false, "stopped: " + String((e as Error).stack ?? e));
}
console.log(`api-client: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
