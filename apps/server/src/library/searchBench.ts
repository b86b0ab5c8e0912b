// `npm run bench:search -w @convivio/server`: library search over 5,000 items on PostgreSQL.
// Creates a throwaway database (at TEST_DATABASE_URL's server), a community tree (1 national,
// 20 regional, 200 local), 60 people with memberships, 5,000 items of seeded Italian and English
// text (mixed kinds, statuses, audiences, tags, territories) and 50 national acts sent down to
// every local community (10,000 deliveries, which the visibility rule consults). Then it runs a
// mix of searches through the same function the route uses (visibility included) and writes p50,
// p95 and p99 to the "Library search" section of docs/performance.md. Options: --items=N,
// --queries=N, --no-doc.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { cpus, loadavg, totalmem } from "node:os";
import {
  communities,
  communityMembers,
  createDb,
  libraryDeliveries,
  libraryItems,
  sql,
  users,
  type Database,
} from "@convivio/db";
import { DEFAULT_TEST_DATABASE_URL } from "@convivio/db/testing";
import { searchItems } from "./search.js";

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ITEMS = Number(option("items") ?? 5_000);
const QUERIES = Number(option("queries") ?? 2_000);
const WARMUP = 100;
const writeDoc = !args.includes("--no-doc");
/** Keep the database afterwards (to EXPLAIN queries by hand). */
const keep = args.includes("--keep");

/** Mulberry32: a small seeded generator, so every run builds the same library. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20260723);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const IT_WORDS = (
  "mozione mozioni delibera interrogazione consiglio comunale bilancio partecipativo scuole mensa " +
  "verde pubblico mobilità sostenibile piste ciclabili trasporto rifiuti raccolta differenziata acqua " +
  "energia rinnovabile comunità energetiche trasparenza accesso civico dati aperti cittadinanza " +
  "quartiere periferie biblioteche cultura giovani anziani disabilità sanità servizi sociali casa " +
  "lavoro commercio turismo ambiente alberi parchi sicurezza stradale illuminazione digitale " +
  "partecipazione assemblea proposta regolamento emendamento ordine del giorno"
).split(" ");
const EN_WORDS = (
  "motion motions resolution council budget participatory schools meals green space mobility " +
  "cycling transport waste recycling water energy renewable transparency open data citizens " +
  "neighbourhood libraries culture youth elderly housing work environment trees parks safety"
).split(" ");
const TAGS = ["ambiente", "mobilità", "scuola", "bilancio", "trasparenza", "energia", "sociale", "cultura"];
const KINDS = ["act", "practice", "resource", "session_outcome"] as const;

// Body text: a third from the item's own topic words, the rest from a larger general vocabulary
// (function words and seeded pseudo-words) drawn with a skewed frequency, like real prose.
const FUNCTION_WORDS = "il la di che per con una del della nel sono alla come anche più questo".split(" ");
const SYLLABLES = "ba ce di fo gu la me ni po ru sa te vi zo ra to na li co ma".split(" ");
const GENERAL = [
  ...FUNCTION_WORDS,
  ...Array.from({ length: 1_500 }, () =>
    Array.from({ length: 3 }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(""),
  ),
];
const general = () => GENERAL[Math.floor(GENERAL.length * random() ** 2.5)]!;
const TITLE_PREFIXES = {
  it: [
    "Mozione su",
    "Delibera su",
    "Interrogazione su",
    "Ordine del giorno su",
    "Pratica:",
    "Risorsa:",
    "Esito:",
  ],
  en: ["Motion on", "Resolution on", "Practice:", "Resource:", "Outcome:"],
};
function text(list: string[], n: number): string {
  const topic = [pick(list), pick(list), pick(list), pick(list)];
  return Array.from({ length: n }, () => (random() < 0.33 ? pick(topic) : general())).join(" ");
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const words = (list: string[], n: number) => Array.from({ length: n }, () => pick(list)).join(" ");

async function admin(url: string, statement: string) {
  const database = await createDb({ url, poolSize: 1 });
  try {
    await database.db.execute(sql.raw(statement));
  } finally {
    await database.close();
  }
}

async function seed(database: Database) {
  const { db } = database;
  const [national] = await db
    .insert(communities)
    .values({ slug: "italia", name: "Italia", kind: "national" })
    .returning({ id: communities.id });
  const regions = await db
    .insert(communities)
    .values(
      Array.from({ length: 20 }, (_, i) => ({
        slug: `regione-${i}`,
        name: `Regione ${i}`,
        kind: "regional" as const,
        parentId: national!.id,
      })),
    )
    .returning({ id: communities.id });
  const locals = await db
    .insert(communities)
    .values(
      Array.from({ length: 200 }, (_, i) => ({
        slug: `comune-${i}`,
        name: `Comune ${i}`,
        kind: "local" as const,
        parentId: regions[i % regions.length]!.id,
      })),
    )
    .returning({ id: communities.id });
  const all = [national!, ...regions, ...locals];
  const people = await db
    .insert(users)
    .values(Array.from({ length: 60 }, (_, i) => ({ email: `bench-${i}@example.it`, name: `Persona ${i}` })))
    .returning({ id: users.id });
  const memberships = people.flatMap((person, i) =>
    [pick(locals), pick(locals), pick(regions)].map((community, j) => ({
      communityId: community.id,
      userId: person.id,
      role: j === 0 && i % 3 === 0 ? ("editor" as const) : ("member" as const),
    })),
  );
  await db.insert(communityMembers).values(memberships).onConflictDoNothing();

  const now = Date.now();
  const nationalActs: string[] = [];
  for (let start = 0; start < ITEMS; start += 500) {
    const rows = Array.from({ length: Math.min(500, ITEMS - start) }, (_, k) => {
      const i = start + k;
      const english = random() < 0.15;
      const list = english ? EN_WORDS : IT_WORDS;
      const community = i < 50 ? national! : pick(all);
      const publishedRoll = random();
      const status =
        i < 50 || publishedRoll < 0.8 ? "published" : publishedRoll < 0.93 ? "draft" : "withdrawn";
      const audienceRoll = random();
      const when = new Date(now - Math.floor(random() * 730) * 86_400_000);
      return {
        kind: i < 50 ? ("act" as const) : pick(KINDS),
        title: `${pick(TITLE_PREFIXES[english ? "en" : "it"])} ${words(list, 3)}`,
        summary: text(list, 25),
        body: Array.from({ length: 4 }, () => text(list, 40)).join("\n\n"),
        tags: [pick(TAGS), pick(TAGS)].filter((t, j, a) => a.indexOf(t) === j),
        territory: `Comune ${Math.floor(random() * 200)}`,
        language: english ? ("en" as const) : ("it" as const),
        authorId: pick(people).id,
        communityId: community.id,
        status: status as "published" | "draft" | "withdrawn",
        audience:
          audienceRoll < 0.5
            ? ("everyone" as const)
            : audienceRoll < 0.8
              ? ("community" as const)
              : ("siblings" as const),
        publishedAt: status === "draft" ? null : when,
        createdAt: when,
        updatedAt: when,
      };
    });
    const inserted = await db.insert(libraryItems).values(rows).returning({ id: libraryItems.id });
    if (start === 0) nationalActs.push(...inserted.slice(0, 50).map((r) => r.id));
  }
  for (const itemId of nationalActs) {
    await db.insert(libraryDeliveries).values(
      locals.map((local) => ({
        itemId,
        communityId: local.id,
        fromCommunityId: national!.id,
        status: pick(["received", "received", "adopted", "declined"] as const),
      })),
    );
  }
  await db.execute(sql`ANALYZE`);
  return { people, locals, regions };
}

const QUERY_TEXTS = [
  "mozioni",
  "bilancio partecipativo",
  "mobilità sostenibile",
  "scuole mensa",
  "verde pubblico alberi",
  "comunità energetiche",
  "trasparenza dati aperti",
  "piste ciclabili",
  "motions",
  "participatory budget",
  "regolamento -rifiuti",
  '"raccolta differenziata"',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = `convivio_bench_${randomBytes(4).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), poolSize: 4 });
  try {
    await database.migrate();
    const seedStart = performance.now();
    const { people, locals } = await seed(database);
    say(`seeded ${ITEMS} items in ${Math.round(performance.now() - seedStart)} ms`);
    const [version] = (
      await database.db.execute<{ v: string }>(sql`SELECT current_setting('server_version') AS v`)
    ).rows;

    const makeQuery = () => {
      const roll = random();
      const viewer = roll < 0.2 ? null : pick(people).id;
      const q = random() < 0.85 ? pick(QUERY_TEXTS) : undefined;
      return {
        viewer,
        query: {
          q,
          kind: random() < 0.25 ? pick(KINDS) : undefined,
          tag: random() < 0.2 ? pick(TAGS) : undefined,
          territory: random() < 0.05 ? `Comune ${Math.floor(random() * 200)}` : undefined,
          community: random() < 0.1 ? `comune-${locals.indexOf(pick(locals))}` : undefined,
          from:
            random() < 0.15 ? new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10) : undefined,
          sort: q && random() < 0.7 ? ("relevance" as const) : ("date" as const),
          page: random() < 0.8 ? 1 : 2,
          pageSize: 20,
        },
      };
    };
    for (let i = 0; i < WARMUP; i++) {
      const { viewer, query } = makeQuery();
      await searchItems(database.db, viewer, query);
    }
    const timings: number[] = [];
    const slowest: { ms: number; viewer: string | null; query: object; total: number }[] = [];
    let hits = 0;
    for (let i = 0; i < QUERIES; i++) {
      const { viewer, query } = makeQuery();
      const start = performance.now();
      const result = await searchItems(database.db, viewer, query);
      const took = performance.now() - start;
      timings.push(took);
      hits += result.total;
      slowest.push({ ms: took, viewer, query, total: result.total });
      slowest.sort((a, b) => b.ms - a.ms);
      slowest.length = Math.min(slowest.length, 10);
    }
    // The tail, to see what a slow search asks for (EXPLAIN it with --keep).
    for (const slow of slowest)
      say(
        `slow: ${slow.ms.toFixed(1)} ms, ${slow.total} hits, ${JSON.stringify(slow.query)}${slow.viewer ? "" : " (anonymous)"}`,
      );
    timings.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const figures = {
      p50: percentile(timings, 50),
      p95: percentile(timings, 95),
      p99: percentile(timings, 99),
      max: timings.at(-1)!,
    };
    say(
      `${QUERIES} searches: p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)}, p99 ${ms(figures.p99)}, max ${ms(figures.max)}; mean total ${Math.round(hits / QUERIES)}`,
    );
    if (writeDoc) {
      await writeSection(
        [
          "## Library search",
          "",
          `Measured by \`npm run bench:search -w @convivio/server\` (apps/server/src/library/searchBench.ts) on ${new Date().toISOString().slice(0, 10)}:`,
          `PostgreSQL ${version?.v ?? "?"}, ${cpus().length} CPU (${cpus()[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version},`,
          `one connection at a time; load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(" / ")} (1/5/15 min) at the end of the run, i.e. the machine was shared with other work.`,
          "",
          `Library: ${ITEMS.toLocaleString("en")} items (85% Italian, 15% English; 80% published, the rest drafts or withdrawn;`,
          "half for everyone, the rest community-only or for siblings) in a tree of 221 communities, 60 people",
          "with 3 memberships each, 50 national acts sent down to 200 local communities (10,000 deliveries).",
          "",
          `Queries: ${QUERIES.toLocaleString("en")} after ${WARMUP} warm-up, each through \`searchItems\` — the function the`,
          "`GET /api/library/items` route calls, visibility rule included. 80% by a signed-in member, 20% anonymous;",
          "85% with words (Italian and English, phrases, negation), filters mixed in (kind 25%, tag 20%, date 15%,",
          "community 10%, territory 5%), sorted by relevance or date, pages 1–2 of 20. Time includes the page query,",
          "the summaries and the highlighted snippets.",
          "",
          "| searches | p50 | p95 | p99 | max | target p99 |",
          "|---:|---:|---:|---:|---:|---:|",
          `| ${QUERIES.toLocaleString("en")} | ${ms(figures.p50)} | ${ms(figures.p95)} | ${ms(figures.p99)} | ${ms(figures.max)} | < 50 ms |`,
          "",
          figures.p99 < 50
            ? "The p99 meets the 50 ms target on this run."
            : "The p99 misses the 50 ms target on this run; the load average above says how busy the machine was.",
          "",
          "What the tail showed: the slowest searches are one-word queries matching a fifth of the library",
          "(`mozioni`: ~1,100 hits), where PostgreSQL matches and ranks every hit. Before migration 0007 kept",
          "the search vector in the row (`SET STORAGE MAIN`), a row with its body passed the 2 kB TOAST",
          "threshold and the vector was moved out of line, so each match fetched it from the TOAST table:",
          "p99 was 53.6 ms (p50 18.8 ms) in a run on 2026-12-04; with the vector in the row, matching 5,000 items",
          "took 6 ms instead of 28 ms in `EXPLAIN ANALYZE`.",
          "",
        ].join("\n"),
      );
    }
  } finally {
    await database.close();
    if (keep) say(`kept database ${name}`);
    else await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Replaces (or appends) this bench's own section of docs/performance.md, leaving the others alone. */
async function writeSection(section: string) {
  const path = fileURLToPath(new URL("../../../../docs/performance.md", import.meta.url));
  const current = await readFile(path, "utf8").catch(() => "# Performance\n");
  const start = current.indexOf("## Library search");
  let next: string;
  if (start === -1) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf("\n## ", start + 1);
    next = `${current.slice(0, start)}${section}${after === -1 ? "" : `\n${current.slice(after + 1)}`}`;
  }
  await writeFile(path, next.endsWith("\n") ? next : `${next}\n`);
  say(`wrote the "Library search" section of ${path}`);
}

await main();
