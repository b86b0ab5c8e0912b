import { readEnv } from "./env.js";
import { startRuntime } from "./runtime.js";
import { seedDemo } from "./demo/seed.js";
import { seedLibraryDemo } from "./library/demoSeed.js";

const env = readEnv();
const runtime = await startRuntime(env);

if (process.argv.includes("--demo")) {
  const links = await seedDemo(runtime.database.db, runtime.auth);
  links.people.push(...(await seedLibraryDemo(runtime.database.db, runtime.auth, links.eventSlug)));
  console.log(`\n  Demo event: ${runtime.url}/e/${links.eventSlug}`);
  for (const link of links.people) console.log(`  Sign in as ${link.label.padEnd(12)} ${link.url}`);
}
console.log(`\n  Convivio is running at ${runtime.url}\n`);

let signals = 0;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) process.exit(1);
    runtime
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        runtime.logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  });
}
