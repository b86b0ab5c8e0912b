// Test support for communities and the library: people signed up through the API, a community tree
// (national -> two regions -> locals) built through the API by a platform operator, and small item
// helpers. Start the server with LIBRARY_TEST_ENV so the operator's email is the configured one.
import { afterAll, beforeAll } from "vitest";
import { eq, users } from "@convivio/db";
import type { TestDatabase } from "@convivio/db/testing";
import type { CommunityDetail, CreateItemBody, LibraryItemDetail } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "./harness.js";
import { unique } from "./events.js";

export interface LibraryPerson {
  client: TestClient;
  id: string;
  email: string;
  name: string;
}

/** The platform operator of the test servers (PLATFORM_OPERATOR_EMAILS), who starts top-level communities. */
export const OPERATOR_EMAIL = "operatore@example.it";
export const LIBRARY_TEST_ENV = { AUTH_RATE_LIMIT: "10000", PLATFORM_OPERATOR_EMAILS: OPERATOR_EMAIL };

export async function signUp(server: TestServer, name: string, fixedEmail?: string): Promise<LibraryPerson> {
  const client = server.client();
  const email = fixedEmail ?? `${name.toLowerCase().replace(/\W+/g, "-")}-${unique()}@example.it`;
  const res = await client.post("/api/auth/sign-up", {
    name,
    email,
    password: "correct horse battery",
    locale: "it",
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  const me = await client.get("/api/me");
  return { client, id: (me.body as { user: { id: string } }).user.id, email, name };
}

export async function createCommunity(
  admin: LibraryPerson,
  name: string,
  kind: "national" | "regional" | "local" | "thematic",
  parentId?: string,
): Promise<CommunityDetail> {
  const res = await admin.client.post("/api/communities", {
    slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${unique()}`,
    name,
    kind,
    ...(parentId ? { parentId } : {}),
  });
  if (res.status !== 201) throw new Error(`create community failed: ${res.status} ${res.text}`);
  return (res.body as { community: CommunityDetail }).community;
}

export async function addMember(
  admin: LibraryPerson,
  community: CommunityDetail,
  person: LibraryPerson,
  role: "member" | "editor" | "admin",
): Promise<void> {
  const res = await admin.client.post(`/api/communities/${community.slug}/members`, {
    email: person.email,
    role,
  });
  if (res.status !== 201) throw new Error(`add member failed: ${res.status} ${res.text}`);
}

export async function createItem(
  author: LibraryPerson,
  body: Omit<CreateItemBody, "kind"> & { kind?: CreateItemBody["kind"] },
): Promise<LibraryItemDetail> {
  const res = await author.client.post("/api/library/items", { kind: "act", ...body });
  if (res.status !== 201) throw new Error(`create item failed: ${res.status} ${res.text}`);
  return (res.body as { item: LibraryItemDetail }).item;
}

/** Marks a person's email verified, as signing in once by an emailed link does. */
export async function verifyEmail(server: TestServer, person: LibraryPerson): Promise<void> {
  await server.database.db
    .update(users)
    .set({ emailVerifiedAt: server.clock.now() })
    .where(eq(users.id, person.id));
}

/** The platform operator (signed up with OPERATOR_EMAIL, verified), once per database. */
export async function signUpOperator(server: TestServer, name = "Nadia National"): Promise<LibraryPerson> {
  const operator = await signUp(server, name, OPERATOR_EMAIL);
  await verifyEmail(server, operator);
  return operator;
}

/**
 * A tree: Italia (national) -> Lazio, Toscana (regional) -> Roma, Viterbo under Lazio and
 * Firenze under Toscana (local). `national` (the platform operator) built it and so admins every
 * community; `italiaEditor` and `italiaMember` belong to Italia only, so they show what the
 * sending side sees without a seat below; each local community has its own editor, Roma a plain
 * member too.
 */
export async function createTree(server: TestServer) {
  const national = await signUpOperator(server);
  const italia = await createCommunity(national, "Italia", "national");
  const lazio = await createCommunity(national, "Lazio", "regional", italia.id);
  const toscana = await createCommunity(national, "Toscana", "regional", italia.id);
  const roma = await createCommunity(national, "Roma", "local", lazio.id);
  const viterbo = await createCommunity(national, "Viterbo", "local", lazio.id);
  const firenze = await createCommunity(national, "Firenze", "local", toscana.id);
  const people = {
    italiaEditor: await signUp(server, "Irene Italia"),
    italiaMember: await signUp(server, "Ivo Italia"),
    romaEditor: await signUp(server, "Romeo Roma"),
    romaMember: await signUp(server, "Rita Roma"),
    viterboEditor: await signUp(server, "Vito Viterbo"),
    firenzeEditor: await signUp(server, "Fiona Firenze"),
    outsider: await signUp(server, "Otto Outsider"),
  };
  await addMember(national, italia, people.italiaEditor, "editor");
  await addMember(national, italia, people.italiaMember, "member");
  await addMember(national, roma, people.romaEditor, "editor");
  await addMember(national, roma, people.romaMember, "member");
  await addMember(national, viterbo, people.viterboEditor, "editor");
  await addMember(national, firenze, people.firenzeEditor, "editor");
  return { national, italia, lazio, toscana, roma, viterbo, firenze, ...people };
}

/** The community tree of createTree, with its people. */
export type LibraryTree = Awaited<ReturnType<typeof createTree>>;

/** What a library suite works in: one database, a server on it and the community tree. */
export interface LibraryWorld {
  database: TestDatabase;
  server: TestServer;
  tree: LibraryTree;
}

/**
 * Registers the hooks of a library suite on the database `open` gives: before its tests a server
 * started with LIBRARY_TEST_ENV and the tree built through it; after them both closed. The
 * returned world is filled in by the time the tests run.
 */
export function useLibraryWorld(open: () => Promise<TestDatabase>): LibraryWorld {
  const world = {} as LibraryWorld;
  beforeAll(async () => {
    world.database = await open();
    world.server = await startTestServer({ database: world.database, env: LIBRARY_TEST_ENV });
    world.tree = await createTree(world.server);
  }, 120_000);
  afterAll(async () => {
    await world.server?.close();
    await world.database?.close();
  });
  return world;
}
