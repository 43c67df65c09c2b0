// Prints the endpoint x engine x runtime matrix from the runner's JSON lines,
// then the closing "N passed, N failed" line; exits non-zero on any failure,
// on a job that crashed, or on a run that executed no test.
import { existsSync, readFileSync } from "node:fs";

const [dir, ...runtimes] = process.argv.slice(2);
const engines = ["unit", "d20", "d26"];
const rows = [];
const crashed = [];
for (const rt of runtimes) {
  for (const eng of engines) {
    const rc = existsSync(`${dir}/${rt}-${eng}.rc`) ? readFileSync(`${dir}/${rt}-${eng}.rc`, "utf8").trim() : "missing";
    const f = `${dir}/${rt}-${eng}.jsonl`;
    const all = existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
    const plan = all.find((l) => l.plan);
    const lines = all.filter((l) => !l.plan);
    const failedHere = lines.filter((l) => !l.ok).length;
    if (rc !== "0" && failedHere === 0) crashed.push(`${rt}/${eng} (exit ${rc})`);
    if (eng !== "unit" && lines.length === 0) crashed.push(`${rt}/${eng} ran no engine test`);
    if (!plan) crashed.push(`${rt}/${eng} never said how many tests it owed`);
    else if (plan.expected !== lines.length) {
      crashed.push(`${rt}/${eng} ran ${lines.length} of the ${plan.expected} tests it registered`);
    }
    rows.push(...lines);
  }
}

const cols = [];
for (const eng of ["d20", "d26"]) for (const rt of runtimes) cols.push(`${eng}/${rt}`);
const byEndpoint = new Map();
for (const r of rows) {
  const key = r.endpoint ?? "(unit)";
  const col = r.endpoint ? `${r.engine}/${r.runtime}` : `unit/${r.runtime}`;
  if (!byEndpoint.has(key)) byEndpoint.set(key, new Map());
  const m = byEndpoint.get(key);
  const c = m.get(col) ?? { pass: 0, fail: 0 };
  r.ok ? c.pass++ : c.fail++;
  m.set(col, c);
}
const width = Math.max(10, ...[...byEndpoint.keys()].map((k) => k.length));
const cell = (c) => !c ? "-" : c.fail ? `FAIL ${c.fail}/${c.pass + c.fail}` : `ok ${c.pass}`;
console.log("\nendpoint x engine x runtime (ok N = N tests passed)\n");
console.log("endpoint".padEnd(width) + " | " + cols.map((c) => c.padEnd(11)).join(" | "));
console.log("-".repeat(width) + "-+-" + cols.map(() => "-".repeat(11)).join("-+-"));
for (const [ep, m] of [...byEndpoint.entries()].sort()) {
  if (ep === "(unit)") continue;
  console.log(ep.padEnd(width) + " | " + cols.map((c) => cell(m.get(c)).padEnd(11)).join(" | "));
}
const unit = byEndpoint.get("(unit)");
if (unit) console.log("\nunit tests: " + runtimes.map((rt) => `${rt} ${cell(unit.get(`unit/${rt}`))}`).join(", "));
const skippedRows = rows.filter((r) => r.skipped);
const passed = rows.filter((r) => r.ok && !r.skipped).length;
const failed = rows.filter((r) => !r.ok).length + crashed.length;
const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 10);
console.log("\nslowest tests:\n" + slowest.map((r) => `  ${r.ms} ms  [${r.runtime}/${r.engine}] ${r.name}`).join("\n"));
if (skippedRows.length) {
  console.log(
    "\nskipped (each says why):\n" +
      skippedRows.map((r) => `  [${r.runtime}/${r.engine}] ${r.name}: ${r.skipped}`).join("\n"),
  );
}
if (crashed.length) console.log("\njobs that crashed, hung or left tests unrun: " + crashed.join(", "));
console.log(`\n${passed} passed, ${failed} failed, ${skippedRows.length} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
