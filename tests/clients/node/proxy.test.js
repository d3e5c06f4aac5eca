// Compatibility test: the npm `mysql2` driver (nobody here wrote it) talking to the gatehouse
// proxy port. Run by tests/integration/clients_mysql2_test.sh, which starts a cluster and sets:
//   GH_PROXY_HOST, GH_PROXY_PORT, GH_PROXY_USER, GH_PROXY_PASSWORD
// Each test names the proxy behaviour it relies on; every assertion can fail.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const mysql = require('mysql2/promise');

const env = (name) => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`set ${name} (see clients_mysql2_test.sh)`);
  return v;
};

const DB = 'gh_clients_mysql2';
const DIRECT = '/* gatehouse:strategy=direct */ '; // per-statement hint: read on the source
const REPLICAS = new Set(['replica1', 'replica2']);
let pool;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` until it returns truthy or `ms` pass; returns the last value. Errors count as
// "not yet" until the time is up (a replica may not have the table yet), then they are thrown.
async function eventually(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v || Date.now() > end) return v;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await sleep(100);
  }
}

// Waits until `sql` returns `want` (first column of the first row) on every node, connecting
// to each directly (GH_NODE_PORTS, GH_ADMIN_USER, GH_ADMIN_PASSWORD). Replicas apply the
// source's changes asynchronously, and the proxy may send any read to any replica: setup must
// have arrived everywhere before the tests read through the proxy.
async function onEveryNode(sql, want) {
  for (const port of env('GH_NODE_PORTS').split(',')) {
    const conn = await mysql.createConnection({
      host: env('GH_PROXY_HOST'), port: Number(port),
      user: env('GH_ADMIN_USER'), password: env('GH_ADMIN_PASSWORD'),
    });
    try {
      const got = await eventually(async () => {
        const [rows] = await conn.query({ sql, rowsAsArray: true });
        return String(rows[0][0]) === String(want);
      });
      assert.ok(got, `node on port ${port}: ${sql} did not return ${want} within 5 s`);
    } finally {
      await conn.end();
    }
  }
}

// Runs fn(conn) on a pooled connection. If fn fails (say, mid-transaction), the connection is
// destroyed rather than returned, so the server rolls back and releases its locks.
async function withConn(fn) {
  const conn = await pool.getConnection();
  try {
    await fn(conn);
  } catch (e) {
    conn.destroy();
    throw e;
  }
  conn.release();
}

async function lastNode(conn) {
  const [rows] = await conn.query('SELECT @gatehouse_last_node');
  assert.equal(rows.length, 1, 'SELECT @gatehouse_last_node returns one row');
  return rows[0]['@gatehouse_last_node'];
}

before(async () => {
  pool = mysql.createPool({
    host: env('GH_PROXY_HOST'),
    port: Number(env('GH_PROXY_PORT')),
    user: env('GH_PROXY_USER'),
    password: env('GH_PROXY_PASSWORD'),
    connectionLimit: 4,
    waitForConnections: true,
    timezone: 'Z',
    connectTimeout: 10000,
  });
  await pool.query(`DROP DATABASE IF EXISTS ${DB}`);
  await pool.query(`CREATE DATABASE ${DB}`);
  await pool.query(
    `CREATE TABLE ${DB}.vals (
       id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       i INT NULL, d DOUBLE NULL, s VARCHAR(255) NULL, dt DATETIME(3) NULL, b LONGBLOB NULL
     ) ENGINE=InnoDB`
  );
  await pool.query(
    `CREATE TABLE ${DB}.tx (id INT NOT NULL PRIMARY KEY, note VARCHAR(64) NOT NULL) ENGINE=InnoDB`
  );
  await onEveryNode(`SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}'`, 2);
});

after(async () => {
  if (pool) {
    await pool.query(`DROP DATABASE IF EXISTS ${DB}`).catch(() => {});
    await pool.end();
  }
});

test('pool of 4 serves 40 concurrent queries, each gets its own answer', async () => {
  let opened = 0;
  pool.pool.on('connection', () => opened++);
  const n = 40;
  const results = await Promise.all(
    Array.from({ length: n }, (_, k) =>
      pool.query('SELECT ? AS k, CONCAT(?, \'-\', ?) AS tag, SLEEP(0.02) AS z', [k, 'q', k])
    )
  );
  results.forEach(([rows], k) => {
    assert.equal(rows.length, 1);
    assert.equal(rows[0].k, k);
    assert.equal(rows[0].tag, `q-${k}`);
    assert.equal(Number(rows[0].z), 0);
  });
  const total = pool.pool._allConnections.length;
  assert.ok(total >= 2 && total <= 4, `pool used ${total} client connections, want 2..4`);
  assert.ok(opened <= 4, `opened ${opened} connections, limit is 4`);
});

test('execute (prepared statements): NULL, quoted strings, numbers, dates, BLOB round trip', async () => {
  const blob = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)), // every byte value, incl. 0x00 and 0xFF
    crypto.randomBytes(300 * 1024), // larger than one 16 KiB read buffer
  ]);
  const when = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123));
  const nasty = `it's "quoted" \\ back\\slash; -- not a comment /* nor this */ \u00e9\u00e8 \u{1F600}`;
  const rowsIn = [
    { i: 42, d: 3.25, s: nasty, dt: when, b: blob },
    { i: null, d: null, s: null, dt: null, b: null },
    { i: -2147483648, d: -1.5e300, s: '', dt: new Date(Date.UTC(1999, 11, 31, 0, 0, 0, 0)), b: Buffer.alloc(0) },
  ];
  const ids = [];
  for (const r of rowsIn) {
    const [res] = await pool.execute(
      `INSERT INTO ${DB}.vals (i, d, s, dt, b) VALUES (?, ?, ?, ?, ?)`,
      [r.i, r.d, r.s, r.dt, r.b]
    );
    assert.equal(res.affectedRows, 1);
    assert.ok(res.insertId > 0, 'insertId is reported');
    ids.push(res.insertId);
  }
  // Read back on the source with a prepared statement (binary protocol rows)...
  for (const [k, r] of rowsIn.entries()) {
    const [rows] = await pool.execute(
      `${DIRECT}SELECT id, i, d, s, dt, b FROM ${DB}.vals WHERE id = ?`,
      [ids[k]]
    );
    assert.equal(rows.length, 1, `row ${ids[k]} is there`);
    const got = rows[0];
    assert.equal(got.i, r.i);
    assert.equal(got.d, r.d);
    assert.equal(got.s, r.s);
    if (r.dt === null) assert.equal(got.dt, null);
    else assert.equal(got.dt.getTime(), r.dt.getTime(), `datetime of row ${k}`);
    if (r.b === null) assert.equal(got.b, null);
    else assert.ok(Buffer.isBuffer(got.b) && got.b.equals(r.b), `blob of row ${k} (${r.b.length} bytes) round-trips`);
  }
  // ...and with the text protocol, through whichever replica the proxy picks, once replicated.
  const viaReplica = await eventually(async () => {
    const [rows] = await pool.query(
      `SELECT id, i, s, LENGTH(b) AS blen, SHA2(b, 256) AS bsha FROM ${DB}.vals WHERE id = ?`,
      [ids[0]]
    );
    return rows[0];
  });
  assert.ok(viaReplica, 'the inserted row replicates within 5 s');
  assert.equal(viaReplica.s, nasty);
  assert.equal(Number(viaReplica.blen), blob.length);
  assert.equal(viaReplica.bsha, crypto.createHash('sha256').update(blob).digest('hex'));
  // Parameters in a SELECT list, executed twice (the driver reuses the statement).
  for (const args of [[null, 7, 'a\'b', 2.5], ['x', -1, '"', 0]]) {
    const [rows] = await pool.execute('SELECT ? AS n, ? + 1 AS num, ? AS str, ? * 2 AS dbl', args);
    assert.equal(rows[0].n, args[0]);
    assert.equal(Number(rows[0].num), args[1] + 1);
    assert.equal(rows[0].str, args[2]);
    assert.equal(Number(rows[0].dbl), args[3] * 2);
  }
});

test('a transaction that commits is visible after; one that rolls back is not', async () => {
  await withConn(async (conn) => {
    await conn.beginTransaction();
    await conn.query(`INSERT INTO ${DB}.tx VALUES (1, 'committed')`);
    let [rows] = await conn.query(`SELECT note FROM ${DB}.tx WHERE id = 1`);
    assert.deepEqual(rows.map((r) => r.note), ['committed'], 'own write visible inside the transaction');
    assert.equal(await lastNode(conn), 'source', 'reads inside a transaction run on the source');
    await conn.commit();

    await conn.beginTransaction();
    await conn.execute(`INSERT INTO ${DB}.tx VALUES (?, ?)`, [2, 'rolled back']);
    [rows] = await conn.execute(`SELECT COUNT(*) AS c FROM ${DB}.tx WHERE id = ?`, [2]);
    assert.equal(Number(rows[0].c), 1, 'uncommitted row visible to its own transaction');
    await conn.rollback();
  });
  // Fresh reads, from another pooled connection too.
  const [src] = await pool.query(`${DIRECT}SELECT id, note FROM ${DB}.tx ORDER BY id`);
  assert.deepEqual(src.map((r) => [r.id, r.note]), [[1, 'committed']], 'source: only the committed row');
  const rep = await eventually(async () => {
    const [rows] = await pool.query(`SELECT id FROM ${DB}.tx ORDER BY id`);
    return rows.length === 1 && rows[0].id === 1 ? rows : null;
  });
  assert.ok(rep, 'replica reads see exactly the committed row within 5 s');
});

test('bad SQL: the error carries errno/sqlMessage and the pool keeps working', async () => {
  await assert.rejects(pool.query('SELEC 1 FROM nowhere'), (err) => {
    assert.equal(err.errno, 1064);
    assert.equal(err.code, 'ER_PARSE_ERROR');
    assert.equal(err.sqlState, '42000');
    assert.match(err.sqlMessage, /SQL syntax/);
    return true;
  });
  await assert.rejects(pool.execute(`SELECT * FROM ${DB}.no_such_table WHERE id = ?`, [1]), (err) => {
    assert.equal(err.errno, 1146);
    assert.match(err.sqlMessage, /no_such_table/);
    return true;
  });
  await assert.rejects(pool.query(`INSERT INTO ${DB}.tx VALUES (1, 'duplicate')`), (err) => {
    assert.equal(err.errno, 1062);
    assert.equal(err.code, 'ER_DUP_ENTRY');
    return true;
  });
  // The same connections carry on, for both protocols.
  const all = await Promise.all(Array.from({ length: 8 }, (_, k) => pool.query('SELECT ? AS k', [k])));
  all.forEach(([rows], k) => assert.equal(rows[0].k, k));
  const [rows] = await pool.execute('SELECT ? AS ok', ['yes']);
  assert.equal(rows[0].ok, 'yes');
});

test('SET @gatehouse_strategy=random: reads go to replicas; transactions go to the source', async () => {
  await withConn(async (conn) => {
    await conn.query("SET @gatehouse_strategy = 'random'");
    const [s] = await conn.query('SELECT @gatehouse_strategy');
    assert.equal(s[0]['@gatehouse_strategy'], 'random');
    const seen = new Map();
    for (let k = 0; k < 24; k++) {
      await conn.query(`SELECT COUNT(*) AS c FROM ${DB}.tx`);
      const node = await lastNode(conn);
      seen.set(node, (seen.get(node) || 0) + 1);
    }
    for (const node of seen.keys()) assert.ok(REPLICAS.has(node), `read served by ${node}, want a replica`);
    assert.equal(seen.size, 2, `random spreads reads over both replicas: ${JSON.stringify([...seen])}`);

    await conn.query(`INSERT INTO ${DB}.tx VALUES (10, 'write')`);
    assert.equal(await lastNode(conn), 'source', 'writes go to the source');

    await conn.beginTransaction();
    await conn.query(`SELECT COUNT(*) FROM ${DB}.tx`);
    assert.equal(await lastNode(conn), 'source', 'a read inside a transaction goes to the source');
    await conn.execute(`SELECT note FROM ${DB}.tx WHERE id = ?`, [10]);
    assert.equal(await lastNode(conn), 'source', 'a prepared read inside a transaction goes to the source');
    await conn.commit();

    await conn.query(`SELECT COUNT(*) FROM ${DB}.tx`);
    assert.ok(REPLICAS.has(await lastNode(conn)), 'after COMMIT reads go back to replicas');

    await conn.query("SET @gatehouse_strategy = 'direct'");
    await conn.query(`SELECT COUNT(*) FROM ${DB}.tx`);
    assert.equal(await lastNode(conn), 'source', "strategy 'direct' reads on the source");
    await conn.query("SET @gatehouse_strategy = 'random'");
  });
});

test('large result sets arrive whole, text and binary protocol', async () => {
  const [[{ c, s }]] = await pool.query(
    `${DIRECT}SELECT COUNT(*) AS c, SUM(CRC32(CONCAT_WS('|', rental_id, rental_date, inventory_id, customer_id, return_date, staff_id))) AS s FROM sakila.rental`
  );
  assert.ok(Number(c) > 10000, `sakila.rental has ${c} rows`);
  const [text] = await pool.query('SELECT * FROM sakila.rental ORDER BY rental_id');
  assert.equal(text.length, Number(c), 'text protocol: every row');
  const [bin] = await pool.execute('SELECT rental_id, customer_id FROM sakila.rental WHERE rental_id > ? ORDER BY rental_id', [0]);
  assert.equal(bin.length, Number(c), 'binary protocol: every row');
  assert.deepEqual(bin.map((r) => r.rental_id), text.map((r) => r.rental_id));
  const [[again]] = await pool.query(
    `SELECT SUM(CRC32(CONCAT_WS('|', rental_id, rental_date, inventory_id, customer_id, return_date, staff_id))) AS s FROM sakila.rental`
  );
  assert.equal(String(again.s), String(s), 'a replica computes the same checksum as the source');
});

test('multipleStatements connection gets every result set', async () => {
  const conn = await mysql.createConnection({
    host: env('GH_PROXY_HOST'),
    port: Number(env('GH_PROXY_PORT')),
    user: env('GH_PROXY_USER'),
    password: env('GH_PROXY_PASSWORD'),
    multipleStatements: true,
  });
  try {
    const [results] = await conn.query('SELECT 1 AS a; SELECT 2 AS b, 3 AS c; DO 0');
    assert.equal(results.length, 3, 'three results');
    assert.deepEqual(results[0], [{ a: 1 }]);
    assert.deepEqual(results[1], [{ b: 2, c: 3 }]);
    assert.equal(results[2].affectedRows, 0, 'the DO statement answers with an OK');
    const [[row]] = await conn.query('SELECT 4 AS d');
    assert.equal(row.d, 4, 'the connection is in sync after a multi-result');
  } finally {
    await conn.end();
  }
});

test('ping and changeUser (same user) keep the connection usable', async () => {
  const conn = await mysql.createConnection({
    host: env('GH_PROXY_HOST'),
    port: Number(env('GH_PROXY_PORT')),
    user: env('GH_PROXY_USER'),
    password: env('GH_PROXY_PASSWORD'),
    database: 'sakila',
  });
  try {
    await conn.ping();
    const [[a]] = await conn.query('SELECT DATABASE() AS db, COUNT(*) AS c FROM film');
    assert.equal(a.db, 'sakila');
    assert.equal(Number(a.c), 1000);
    await conn.changeUser({ user: env('GH_PROXY_USER'), password: env('GH_PROXY_PASSWORD'), database: DB });
    const [[b]] = await conn.query('SELECT DATABASE() AS db');
    assert.equal(b.db, DB, 'changeUser switched the default schema');
    await conn.ping();
  } finally {
    await conn.end();
  }
});

test('a session without a default schema has none, whatever other sessions selected', async () => {
  // The proxy shares backend connections between client sessions. Sessions with a default
  // schema leave it selected on the connections they used (login validates it on the source).
  const cfg = {
    host: env('GH_PROXY_HOST'),
    port: Number(env('GH_PROXY_PORT')),
    user: env('GH_PROXY_USER'),
    password: env('GH_PROXY_PASSWORD'),
  };
  const seen = [];
  for (let round = 0; round < 3; round++) {
    const inSakila = await Promise.all(
      Array.from({ length: 6 }, () => mysql.createConnection({ ...cfg, database: 'sakila' }))
    );
    for (const c of inSakila) await c.query(`${DIRECT}SELECT COUNT(*) FROM film`);
    await Promise.all(inSakila.map((c) => c.end()));
    // New sessions (several, so that every proxy worker thread gets some) select no schema.
    const fresh = await Promise.all(Array.from({ length: 6 }, () => mysql.createConnection(cfg)));
    for (const c of fresh) {
      const [[direct]] = await c.query(`${DIRECT}SELECT DATABASE() AS db`);
      const [[random]] = await c.query('SELECT DATABASE() AS db');
      seen.push(direct.db, random.db);
    }
    await Promise.all(fresh.map((c) => c.end()));
  }
  assert.deepEqual(seen.filter((db) => db !== null), [], 'DATABASE() is NULL in a session that selected none');
  await assert.rejects(pool.query(`${DIRECT}SELECT COUNT(*) FROM film`), (err) => {
    assert.equal(err.errno, 1046, `unqualified table without a schema: ${err.errno} ${err.sqlMessage}`);
    return true;
  });
});
