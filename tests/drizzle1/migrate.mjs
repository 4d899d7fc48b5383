// Applies a Drizzle 1.x migrations folder with drizzle-orm 1.0's own
// migrator (node-postgres), as an application does at start-up.
// Usage: node migrate.mjs FOLDER POSTGRES_URL
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

const [folder, url] = process.argv.slice(2);
if (!folder || !url) {
  console.error("usage: node migrate.mjs FOLDER POSTGRES_URL");
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, max: 1 });
try {
  await migrate(drizzle({ client: pool }), { migrationsFolder: folder });
  console.log(`migrated ${folder}`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await pool.end();
}
