// Cross-check of the oratest double with node-oracledb in Thin mode, a
// client written by the database's vendor independently of go-ora. It
// logs on, binds, fetches in batches, re-executes a cached statement and
// collects ORA errors, then prints one JSON document for the Go test
// (oracle/oratest/nodecheck_test.go) to judge. Usage:
//   ORATEST_ADDR=127.0.0.1:PORT ORATEST_USER=u ORATEST_PASSWORD=p node check.js
'use strict';
const oracledb = require('oracledb');

const addr = process.env.ORATEST_ADDR;
const user = process.env.ORATEST_USER;
const password = process.env.ORATEST_PASSWORD;
const service = process.env.ORATEST_SERVICE || 'CLIENT_AUDIT';

// errorOf runs f and returns the Oracle error number it failed with.
async function errorOf(f) {
  try {
    await f();
    return { errorNum: 0 };
  } catch (e) {
    return { errorNum: e.errorNum || 0, message: String(e.message).split('\n')[0] };
  }
}

function plain(rows) {
  return rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : v)));
}

async function main() {
  const out = { thin: oracledb.thin };
  const conn = await oracledb.getConnection({ user, password, connectString: `${addr}/${service}` });
  out.serverVersion = conn.oracleServerVersionString;

  const sql = 'SELECT id, name, amount, d, note FROM t WHERE grp = :grp ORDER BY id';
  const first = await conn.execute(sql, { grp: 'g1' }, { fetchArraySize: 1 });
  out.columns = first.metaData.map((m) => `${m.name}:${m.dbTypeName}`);
  out.g1 = plain(first.rows);
  // The same text again: node-oracledb re-executes its cached cursor.
  out.g2 = plain((await conn.execute(sql, { grp: 'g2' })).rows);

  const rs = await conn.execute('SELECT n FROM big ORDER BY n', [], { resultSet: true, fetchArraySize: 100 });
  let count = 0;
  let sum = 0;
  for (let row = await rs.resultSet.getRow(); row; row = await rs.resultSet.getRow()) {
    count++;
    sum += row[0];
  }
  await rs.resultSet.close();
  out.big = { count, sum };

  out.dateBind = plain((await conn.execute('SELECT id FROM t WHERE d >= :since ORDER BY id',
    { since: new Date(Date.UTC(2024, 2, 1)) })).rows);

  out.missingTable = await errorOf(() => conn.execute('SELECT * FROM missing_table'));
  out.afterError = plain((await conn.execute('SELECT 1 FROM DUAL')).rows);
  await conn.ping();
  await conn.close();

  out.wrongPassword = await errorOf(async () => {
    const c = await oracledb.getConnection({ user, password: password + 'x', connectString: `${addr}/${service}` });
    await c.close();
  });
  out.unknownService = await errorOf(async () => {
    const c = await oracledb.getConnection({ user, password, connectString: `${addr}/NO_SUCH_SERVICE` });
    await c.close();
  });
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(`check.js: ${e.stack || e}\n`);
  process.exit(1);
});
