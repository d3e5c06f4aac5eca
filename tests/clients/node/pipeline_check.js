// Correctness under pipelining: many mysql2 connections at once, each checking that every answer
// it gets is its own. Run by tests/integration/proxy_pipeline_test.sh against a proxy set up so
// that reads of different sessions share backend connections (pipeline_depth > 1, a small pool):
// a response relayed to the wrong session, out of turn, or cut short shows up here as a wrong
// value, a wrong row count or a protocol error.
//
// Usage: node pipeline_check.js CONNECTIONS ITERATIONS [--tolerate-lost]
//   env GH_PROXY_HOST, GH_PROXY_PORT, GH_PROXY_USER, GH_PROXY_PASSWORD
//   --tolerate-lost: a gatehouse error (codes 7400-7499, e.g. a node killed mid-run) counts as
//   "lost", not as a failure; a wrong answer still fails.
// Prints one JSON line: {"ok": N, "lost": N, "failures": [...]}; exit code 1 on any failure.
'use strict';

const mysql = require('mysql2/promise');

const [connections, iterations] = process.argv.slice(2, 4).map(Number);
const tolerateLost = process.argv.includes('--tolerate-lost');
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name}`);
  return v;
};

let ok = 0;
let lost = 0;
const failures = [];
const fail = (msg) => {
  if (failures.length < 20) failures.push(msg);
};

// One statement of client `id`, iteration `i`: four shapes, each with an answer only this client
// and iteration can have.
async function step(conn, id, i) {
  const tag = `c${id}-${i}`;
  switch (i % 4) {
    case 0: {  // prepared, one row, values bound by this session
      const [rows] = await conn.execute('SELECT ? AS a, CONCAT(?, ?) AS b', [i, `c${id}-`, i]);
      if (rows.length !== 1 || Number(rows[0].a) !== i || rows[0].b !== tag)
        fail(`${tag}: execute got ${JSON.stringify(rows)}`);
      return;
    }
    case 1: {  // text protocol
      const [rows] = await conn.query(`SELECT ${i} AS a, '${tag}' AS b`);
      if (rows.length !== 1 || Number(rows[0].a) !== i || rows[0].b !== tag)
        fail(`${tag}: query got ${JSON.stringify(rows)}`);
      return;
    }
    case 2: {  // prepared, several rows (the row count differs per iteration)
      const n = (i % 17) + 1;
      const [rows] = await conn.execute('SELECT seq, ? AS who FROM gh_pipeline.seq_1_to_20 WHERE seq <= ?',
                                        [tag, n]);
      const good = rows.length === n && rows.every((r, k) => Number(r.seq) === k + 1 && r.who === tag);
      if (!good) fail(`${tag}: ${n} rows expected, got ${JSON.stringify(rows).slice(0, 200)}`);
      return;
    }
    default: {  // an error answer in the middle of the stream
      try {
        await conn.query(`SELECT '${tag}' FROM gh_pipeline.gh_no_such_table_${id}`);
        fail(`${tag}: a query on a missing table succeeded`);
      } catch (e) {
        if (e.errno >= 7400 && e.errno < 7500) throw e;  // a gatehouse error: client() judges it
        if (e.errno !== 1146) fail(`${tag}: expected ERR 1146, got ${e.errno} ${e.message}`);
      }
    }
  }
}

async function client(id) {
  const conn = await mysql.createConnection({
    host: env('GH_PROXY_HOST'), port: Number(env('GH_PROXY_PORT')),
    user: env('GH_PROXY_USER'), password: env('GH_PROXY_PASSWORD'),
  });
  try {
    for (let i = 0; i < iterations; i++) {
      try {
        await step(conn, id, i);
        ok++;
      } catch (e) {
        if (tolerateLost && e.errno >= 7400 && e.errno < 7500) {
          lost++;
        } else {
          fail(`c${id}-${i}: ${e.errno} ${e.message}`);
          if (e.fatal) return;  // the connection is gone
        }
      }
    }
  } finally {
    await conn.end().catch(() => {});
  }
}

(async () => {
  const ids = Array.from({ length: connections }, (_, k) => k);
  await Promise.all(ids.map((id) => client(id).catch((e) => fail(`c${id}: ${e.message}`))));
  console.log(JSON.stringify({ ok, lost, failures }));
  process.exit(failures.length ? 1 : 0);
})();
