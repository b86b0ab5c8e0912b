// Attendance reports end to end, with a LiveKit STAND-IN for the room API (no LiveKit server can
// run here) and webhooks signed with the real SDK, posted to POST /api/livekit/webhook: joins and
// leaves at two breakout tables and the plenary become minutes per table (labelled by number and
// topic) in the session report, the event report and both CSV exports; only organizers and the
// event's facilitators may read them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomUUID } from "node:crypto";
import { AccessToken } from "livekit-server-sdk";
import { agendaSessions, breakoutRuns, breakoutTables, eventMembers, events, type Db } from "@convivio/db";
import type { AttendanceReport, EventAttendanceReport, EventRole } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { plenaryRoom, tableRoom } from "./roomNames.js";

const API_KEY = "devkey";
const API_SECRET = "a-secret-of-at-least-32-characters!!";
const T0 = 1_900_000_000; // seconds since the epoch, as LiveKit stamps its events

let standIn: LiveKitStandIn;
let server: TestServer;

beforeAll(async () => {
  standIn = await startLiveKitStandIn(API_KEY, API_SECRET);
  server = await startTestServer({
    env: { LIVEKIT_URL: standIn.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET },
  });
});
afterAll(async () => {
  await server?.close();
  await standIn?.close();
});

async function person(name: string, locale: "it" | "en" = "it") {
  const client = server.client();
  const res = await client.post("/api/auth/sign-up", {
    name,
    email: `${randomUUID()}@example.it`,
    password: "correct horse battery",
    locale,
  });
  return { client, id: (res.body as { user: { id: string } }).user.id };
}

async function seedEvent(db: Db, visibility: "public" | "draft", members: [string, EventRole][]) {
  const slug = `attendance-${randomUUID().slice(0, 8)}`;
  const [event] = await db
    .insert(events)
    .values({
      slug,
      title: "Attendance",
      timeZone: "Europe/Rome",
      startsAt: new Date(T0 * 1000),
      endsAt: new Date(T0 * 1000 + 8 * 3_600_000),
      visibility,
    })
    .returning();
  const sessions = await db
    .insert(agendaSessions)
    .values([
      {
        eventId: event!.id,
        title: "Apertura",
        kind: "plenary" as const,
        startsAt: new Date(T0 * 1000),
        endsAt: new Date(T0 * 1000 + 3_600_000),
      },
      {
        eventId: event!.id,
        title: "Chiusura",
        kind: "plenary" as const,
        startsAt: new Date(T0 * 1000 + 2 * 3_600_000),
        endsAt: new Date(T0 * 1000 + 3 * 3_600_000),
      },
    ])
    .returning();
  await db
    .insert(eventMembers)
    .values(members.map(([userId, role]) => ({ eventId: event!.id, userId, role })));
  return { eventId: event!.id, slug, opening: sessions[0]!.id, closing: sessions[1]!.id };
}

/** Two open tables of the opening session, as the breakouts write them. */
async function seedTables(db: Db, eventId: string, sessionId: string) {
  const [run] = await db
    .insert(breakoutRuns)
    .values({ id: randomUUID(), eventId, sessionId, strategy: "topic" })
    .returning();
  const [parks, housing] = await db
    .insert(breakoutTables)
    .values(
      [
        { number: 1, topic: "Parchi" },
        { number: 2, topic: "Casa, quartiere" },
      ].map((t) => ({
        id: randomUUID(),
        eventId,
        sessionId,
        runId: run!.id,
        status: "open" as const,
        openedAt: new Date(T0 * 1000),
        ...t,
      })),
    )
    .returning();
  return { parks: parks!.id, housing: housing!.id };
}

let nextEvent = 0;
/** A visit (join and leave, minutes after T0) in a room, signed like LiveKit signs its webhooks. */
async function visitRoom(room: string, identity: string, fromMinute: number, toMinute: number) {
  const sid = `PA_${randomUUID().slice(0, 12)}`;
  for (const [event, minute] of [
    ["participant_joined", fromMinute],
    ["participant_left", toMinute],
  ] as const) {
    const raw = JSON.stringify({
      id: `EV_${++nextEvent}_${sid}`,
      event,
      createdAt: T0 + minute * 60,
      room: { name: room },
      participant: { identity, sid },
    });
    const token = new AccessToken(API_KEY, API_SECRET);
    token.sha256 = createHash("sha256").update(raw).digest("base64");
    const res = await fetch(`${server.url}/api/livekit/webhook`, {
      method: "POST",
      headers: { "content-type": "application/webhook+json", authorization: await token.toJwt() },
      body: raw,
    });
    expect(res.status).toBe(200);
  }
}

describe("attendance reports per session and per event, per table", () => {
  let organizer: { client: TestClient; id: string };
  let facilitator: { client: TestClient; id: string };
  let sara: { client: TestClient; id: string };
  let luca: { client: TestClient; id: string };
  let outsider: { client: TestClient; id: string };
  let world: Awaited<ReturnType<typeof seedEvent>>;
  let tables: { parks: string; housing: string };

  beforeAll(async () => {
    organizer = await person("Olga Organizer", "en");
    facilitator = await person("Fabia Facilitator");
    sara = await person("Sara Rossi");
    luca = await person("Luca Bianchi");
    outsider = await person("Otto Outsider");
    const db = server.database.db;
    world = await seedEvent(db, "public", [
      [organizer.id, "organizer"],
      [facilitator.id, "facilitator"],
      [sara.id, "attendee"],
      [luca.id, "attendee"],
    ]);
    tables = await seedTables(db, world.eventId, world.opening);
    const plenary = plenaryRoom(world.opening);
    // Sara: plenary 10 min, table 1 for 15, table 2 for 5, back in the plenary for 10.
    await visitRoom(plenary, sara.id, 0, 10);
    await visitRoom(tableRoom(world.opening, tables.parks), sara.id, 10, 25);
    await visitRoom(tableRoom(world.opening, tables.housing), sara.id, 25, 30);
    await visitRoom(plenary, sara.id, 30, 40);
    // Luca: table 2 only, 20 minutes. The facilitator: the whole plenary, and 5 minutes listening in at table 1.
    await visitRoom(tableRoom(world.opening, tables.housing), luca.id, 10, 30);
    await visitRoom(plenary, facilitator.id, 0, 40);
    await visitRoom(tableRoom(world.opening, tables.parks), facilitator.id, 15, 20);
    // The closing session: Sara in its plenary for 30 minutes.
    await visitRoom(plenaryRoom(world.closing), sara.id, 120, 150);
  });

  it("gives the session report's minutes per table, with each table's number and topic", async () => {
    const res = await organizer.client.get(`/api/sessions/${world.opening}/attendance`);
    expect(res.status).toBe(200);
    const report = res.body as AttendanceReport;
    expect(report.rooms).toEqual([
      { key: "plenary", kind: "plenary", tableId: null, number: null, topic: "", breakout: null },
      {
        key: `table:${tables.parks}`,
        kind: "table",
        tableId: tables.parks,
        number: 1,
        topic: "Parchi",
        breakout: null,
      },
      {
        key: `table:${tables.housing}`,
        kind: "table",
        tableId: tables.housing,
        number: 2,
        topic: "Casa, quartiere",
        breakout: null,
      },
    ]);
    const byName = Object.fromEntries(report.people.map((p) => [p.name, p]));
    expect(byName["Sara Rossi"]).toMatchObject({
      visits: 4,
      minutesPresent: 40,
      minutesByRoom: { plenary: 20, [`table:${tables.parks}`]: 15, [`table:${tables.housing}`]: 5 },
    });
    expect(byName["Luca Bianchi"]).toMatchObject({
      minutesPresent: 20,
      minutesByRoom: { [`table:${tables.housing}`]: 20 },
    });
    // Listening in at a table while in the plenary is not counted twice.
    expect(byName["Fabia Facilitator"]).toMatchObject({
      minutesPresent: 40,
      minutesByRoom: { plenary: 40, [`table:${tables.parks}`]: 5 },
    });
  });

  it("exports the session report as CSV with a column per table named by number and topic", async () => {
    const res = await organizer.client.get(`/api/sessions/${world.opening}/attendance.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`${world.slug}-attendance-`);
    const lines = res.text.split("\r\n");
    expect(lines[0]).toBe(
      "Name,Email,Visits,Minutes present,Plenary (min),Table 1 · Parchi (min)," +
        '"Table 2 · Casa, quartiere (min)",First joined,Last left',
    );
    expect(lines.find((l) => l.startsWith("Sara Rossi,"))).toMatch(/^Sara Rossi,[^,]+,4,40,20,15,5,/);
    expect(lines.find((l) => l.startsWith("Luca Bianchi,"))).toMatch(/^Luca Bianchi,[^,]+,1,20,0,0,20,/);
    expect(res.text).not.toContain("table:");
  });

  it("gives the event report a row per person with each session's plenary and tables", async () => {
    const res = await facilitator.client.get(`/api/events/${world.slug}/attendance`);
    expect(res.status).toBe(200);
    const report = res.body as EventAttendanceReport;
    expect(report.sessions.map((s) => [s.title, s.rooms.map((r) => r.number ?? r.kind)])).toEqual([
      ["Apertura", ["plenary", 1, 2]],
      ["Chiusura", ["plenary"]],
    ]);
    const saraRow = report.people.find((p) => p.userId === sara.id);
    expect(saraRow).toMatchObject({
      minutesPresent: 70,
      sessions: {
        [world.opening]: {
          visits: 4,
          minutesPresent: 40,
          minutesByRoom: { plenary: 20, [`table:${tables.parks}`]: 15, [`table:${tables.housing}`]: 5 },
        },
        [world.closing]: { visits: 1, minutesPresent: 30, minutesByRoom: { plenary: 30 } },
      },
    });
    expect(report.people).toHaveLength(3);
  });

  it("exports the event report as CSV (UTF-8 with BOM) in the reader's language, sessions as column groups", async () => {
    // The facilitator reads Italian; fetch's text() drops a byte-order mark, so read the bytes.
    const res = await fetch(`${server.url}/api/events/${world.slug}/attendance.csv`, {
      headers: { cookie: facilitator.client.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="${world.slug}-attendance.csv"`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]).toBe(
      "Nome,Email,Minuti di presenza (tutto l'evento)," +
        "Apertura — totale (min),Apertura — Plenaria (min),Apertura — Tavolo 1 · Parchi (min)," +
        '"Apertura — Tavolo 2 · Casa, quartiere (min)",' +
        "Chiusura — totale (min),Chiusura — Plenaria (min)",
    );
    expect(lines.find((l) => l.startsWith("Sara Rossi,"))).toMatch(/^Sara Rossi,[^,]+,70,40,20,15,5,30,30$/);
    expect(lines.find((l) => l.startsWith("Luca Bianchi,"))).toMatch(/^Luca Bianchi,[^,]+,20,20,0,0,20,0,0$/);
  });

  it("refuses the reports to attendees and outsiders (403), strangers (401) and unknown ids (404)", async () => {
    const paths = [
      `/api/sessions/${world.opening}/attendance`,
      `/api/sessions/${world.opening}/attendance.csv`,
      `/api/events/${world.slug}/attendance`,
      `/api/events/${world.slug}/attendance.csv`,
    ];
    for (const path of paths) {
      expect((await sara.client.get(path)).status, path).toBe(403);
      expect((await outsider.client.get(path)).status, path).toBe(403);
      expect((await server.client().get(path)).status, path).toBe(401);
    }
    expect((await organizer.client.get(`/api/events/no-such-event/attendance`)).status).toBe(404);
    expect((await organizer.client.get(`/api/events/no-such-event/attendance.csv`)).status).toBe(404);
    expect((await organizer.client.get(`/api/sessions/${randomUUID()}/attendance`)).status).toBe(404);
  });

  it("hides a draft event's report from outsiders as not found", async () => {
    const draft = await seedEvent(server.database.db, "draft", [[organizer.id, "organizer"]]);
    expect((await outsider.client.get(`/api/events/${draft.slug}/attendance`)).status).toBe(404);
    expect((await outsider.client.get(`/api/sessions/${draft.opening}/attendance.csv`)).status).toBe(404);
    const own = await organizer.client.get(`/api/events/${draft.slug}/attendance`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ eventId: draft.eventId, sessions: [], people: [] });
  });
});
