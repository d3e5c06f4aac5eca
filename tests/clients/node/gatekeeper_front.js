// Client compatibility: the npm `mysql2` driver (nobody here wrote it) against the gatekeeper's
// MySQL front (a validating front: every statement is checked against the user's role).
// Run by tests/integration/gatekeeper_robustness_test.sh, which starts a cluster and sets:
//   GK_HOST, GK_PORT                MySQL front address (base port + 41)
//   GK_WRITE_USER, GK_WRITE_PASSWORD  a front user of role write (the demo `gk_write`)
//   GK_READ_USER, GK_READ_PASSWORD    a front user of role read (the demo `gk_read`)
//   GK_TAG                          a unique string for the rows this run inserts
// Plain script (node gatekeeper_front.js): prints one `ok:` line per check, exits 1 on the first
// failed check. Every check can fail.
'use strict';

const assert = require('node:assert/strict');
const mysql = require('mysql2/promise');

const env = (name) => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`set ${name} (see gatekeeper_robustness_test.sh)`);
  return v;
};
const ok = (what) => console.log(`ok: mysql2: ${what}`);
const DIRECT = '/* gatehouse:strategy=direct */ '; // read on the source: sees our own insert

// Runs fn, expects it to reject with a MySQL error whose errno is `errno` and whose message
// names `rule`.
async function expectDenied(fn, errno, rule, what) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what}: expected an error, the statement succeeded`);
  assert.equal(err.errno, errno, `${what}: errno ${err.errno} (${err.message}), want ${errno}`);
  assert.match(err.sqlMessage || err.message, new RegExp(`denied by gatekeeper rule ${rule}`),
    `${what}: message does not name rule ${rule}: ${err.sqlMessage || err.message}`);
  ok(`${what} refused: ${err.errno} ${err.sqlMessage}`);
}

async function main() {
  const common = { host: env('GK_HOST'), port: Number(env('GK_PORT')), connectTimeout: 10000 };
  const tag = env('GK_TAG');
  const pool = mysql.createPool({
    ...common, user: env('GK_WRITE_USER'), password: env('GK_WRITE_PASSWORD'),
    connectionLimit: 4, waitForConnections: true, queueLimit: 0,
  });
  try {
    // pool.query (COM_QUERY, text protocol), 16 at once over 4 connections; default schema is
    // the user's (sakila).
    const ids = Array.from({ length: 16 }, (_, i) => i + 1);
    const got = await Promise.all(ids.map((id) =>
      pool.query(`SELECT actor_id, first_name FROM actor WHERE actor_id = ${id}`)));
    got.forEach(([rows], i) => {
      assert.equal(rows.length, 1, `actor ${ids[i]}: ${rows.length} rows`);
      assert.equal(rows[0].actor_id, ids[i]);
      assert.equal(typeof rows[0].first_name, 'string');
    });
    const [[db]] = await pool.query('SELECT DATABASE() AS db');
    assert.equal(db.db, 'sakila', `default schema ${db.db}`);
    ok('pool.query: 16 concurrent point selects over 4 connections, default schema sakila');

    // pool.execute (COM_STMT_PREPARE + COM_STMT_EXECUTE, binary protocol), also concurrent,
    // with the same statement re-executed on the same connections (mysql2 caches it).
    const ex = await Promise.all(ids.map((id) =>
      pool.execute('SELECT actor_id, last_name FROM actor WHERE actor_id = ?', [id])));
    ex.forEach(([rows], i) => {
      assert.equal(rows.length, 1);
      assert.equal(rows[0].actor_id, ids[i]);
    });
    ok('pool.execute: 16 concurrent prepared point selects');

    // A write (role write may INSERT), with parameters of several types, read back.
    const [res] = await pool.execute(
      'INSERT INTO actor (first_name, last_name) VALUES (?, ?)', ['GKJS', tag]);
    assert.equal(res.affectedRows, 1, `insert: ${JSON.stringify(res)}`);
    assert.ok(res.insertId > 200, `insert id ${res.insertId}`);
    const [back] = await pool.execute(
      `${DIRECT}SELECT actor_id, first_name FROM actor WHERE last_name = ?`, [tag]);
    assert.equal(back.length, 1, `read back: ${JSON.stringify(back)}`);
    assert.equal(back[0].actor_id, res.insertId);
    assert.equal(back[0].first_name, 'GKJS');
    ok(`pool.execute INSERT as ${env('GK_WRITE_USER')}: insert id ${res.insertId}, read back`);

    // Denials name the rule, and the pool's connections stay usable afterwards.
    await expectDenied(() => pool.query('DROP TABLE actor'), 7502, 'role', 'DROP TABLE (write role)');
    await expectDenied(() => pool.query("SELECT * FROM actor WHERE last_name = '' OR '1'='1'"),
      7506, 'injection:tautology', "' OR '1'='1' injection");
    await expectDenied(() => pool.execute("SELECT actor_id FROM actor WHERE first_name = '' OR 1=1 -- ?", []),
      7506, 'injection', 'injection in a prepared statement');
    const after = await Promise.all(ids.slice(0, 8).map((id) =>
      pool.execute('SELECT actor_id FROM actor WHERE actor_id = ?', [id])));
    after.forEach(([rows], i) => assert.equal(rows[0].actor_id, ids[i]));
    ok('the pool still works after the denials');

    // A single connection with multipleStatements: a stacked query is refused as one packet.
    const conn = await mysql.createConnection({
      ...common, user: env('GK_WRITE_USER'), password: env('GK_WRITE_PASSWORD'),
      multipleStatements: true,
    });
    try {
      await expectDenied(() => conn.query(
        `SELECT 1; INSERT INTO actor (first_name, last_name) VALUES ('STACKED', '${tag}')`),
      7502, 'stacked_query', 'stacked query (multipleStatements)');
      const [[one]] = await conn.query('SELECT 1 AS one');
      assert.equal(one.one, 1);
    } finally {
      await conn.end();
    }

    // The read role: SELECT works, INSERT is refused naming the role rule.
    const ro = await mysql.createConnection({
      ...common, user: env('GK_READ_USER'), password: env('GK_READ_PASSWORD'),
    });
    try {
      const [rows] = await ro.execute('SELECT actor_id FROM actor WHERE actor_id = ?', [3]);
      assert.equal(rows[0].actor_id, 3);
      await expectDenied(() => ro.execute(
        'INSERT INTO actor (first_name, last_name) VALUES (?, ?)', ['RO', tag]),
      7502, 'role', `INSERT as ${env('GK_READ_USER')} (read role)`);
    } finally {
      await ro.end();
    }
    const [[cnt]] = await pool.query(
      `${DIRECT}SELECT COUNT(*) AS n FROM actor WHERE last_name = '${tag}'`);
    assert.equal(Number(cnt.n), 1, `rows with tag ${tag}: ${cnt.n} (a refused insert ran?)`);
    ok('refused inserts left no rows');

    // A wrong password: MySQL-style access denied, errno 7405 (gatehouse auth_failed).
    let err;
    try {
      const bad = await mysql.createConnection({ ...common, user: env('GK_READ_USER'), password: 'wrong' });
      await bad.end();
    } catch (e) {
      err = e;
    }
    assert.ok(err && err.errno === 7405, `wrong password: ${err ? `${err.errno} ${err.message}` : 'logged in'}`);
    ok(`wrong password refused: ${err.errno} ${err.message}`);
  } finally {
    await pool.end();
  }
}

main().then(() => {
  console.log('PASS mysql2 against the gatekeeper MySQL front');
}, (e) => {
  console.error(`FAIL: mysql2: ${e.stack || e}`);
  process.exit(1);
});
