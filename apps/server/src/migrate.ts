import { join } from "node:path";
import { createDb } from "@convivio/db";
import { readEnv } from "./env.js";

// `npm run migrate`: applies pending migrations once, then exits.
const env = readEnv();
const database = await createDb(
  env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(env.DATA_DIR, "pglite") },
);
const applied = await database.migrate();
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
await database.close();
