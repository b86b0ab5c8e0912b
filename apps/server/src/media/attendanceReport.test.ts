import { describe, expect, it } from "vitest";
import {
  eventReport,
  roomsOf,
  sessionReport,
  unionMinutes,
  type TableRow,
  type VisitRow,
} from "./attendanceReport.js";
import { eventAttendanceCsv, sessionAttendanceCsv } from "./attendanceCsv.js";

const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";
const T1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const T2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const T3 = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
const at = (minute: number) => new Date(Date.UTC(2027, 2, 1, 8, 0) + minute * 60_000);

const sara = { userId: "u-sara", name: "Sara", email: "sara@example.it" };
const marco = { userId: "u-marco", name: "Marco", email: "marco@example.it" };

function visit(
  person: typeof sara,
  sessionId: string,
  tableId: string | null,
  from: number | null,
  to: number | null,
): VisitRow {
  return {
    ...person,
    sessionId,
    tableId,
    joinedAt: from === null ? null : at(from),
    leftAt: to === null ? null : at(to),
  };
}

const tables: TableRow[] = [
  { id: T1, sessionId: S1, number: 1, topic: "Parchi", runId: "run-1", openedAt: at(10) },
  { id: T2, sessionId: S1, number: 2, topic: "Casa", runId: "run-1", openedAt: at(10) },
];

describe("attendance minutes", () => {
  it("counts overlapping intervals once", () => {
    const m = 60_000;
    expect(unionMinutes([[0, 10 * m]])).toBe(10);
    expect(
      unionMinutes([
        [0, 10 * m],
        [5 * m, 15 * m],
        [20 * m, 25 * m],
      ]),
    ).toBe(20);
    expect(unionMinutes([[10 * m, 5 * m]])).toBe(0);
  });

  it("gives minutes per table, labelled by number and topic, and the plenary first", () => {
    const visits = [
      visit(sara, S1, null, 0, 10),
      visit(sara, S1, T1, 10, 25),
      visit(sara, S1, T2, 25, 30),
      visit(sara, S1, null, 30, 40),
      visit(marco, S1, T2, 10, 20),
    ];
    const report = sessionReport({ id: S1, endedAt: null }, visits, tables, at(60));
    expect(report.rooms.map((r) => [r.key, r.number, r.topic])).toEqual([
      ["plenary", null, ""],
      [`table:${T1}`, 1, "Parchi"],
      [`table:${T2}`, 2, "Casa"],
    ]);
    expect(report.people.map((p) => p.name)).toEqual(["Marco", "Sara"]);
    expect(report.people[1]).toMatchObject({
      visits: 4,
      minutesPresent: 40,
      minutesByRoom: { plenary: 20, [`table:${T1}`]: 15, [`table:${T2}`]: 5 },
      firstJoinedAt: at(0).toISOString(),
      lastLeftAt: at(40).toISOString(),
    });
  });

  it("counts a facilitator listening in at a table while in the plenary once in the total", () => {
    const visits = [visit(marco, S1, null, 0, 30), visit(marco, S1, T1, 10, 20)];
    const [person] = sessionReport({ id: S1, endedAt: null }, visits, tables, at(60)).people;
    expect(person).toMatchObject({ minutesPresent: 30, minutesByRoom: { plenary: 30, [`table:${T1}`]: 10 } });
  });

  it("runs an open visit until now, or until the session ended when it has", () => {
    const open = [visit(sara, S1, null, 0, null)];
    expect(sessionReport({ id: S1, endedAt: null }, open, [], at(12)).people[0]!.minutesPresent).toBe(12);
    expect(sessionReport({ id: S1, endedAt: at(5) }, open, [], at(120)).people[0]!.minutesPresent).toBe(5);
    // A leave that arrived without its join is a visit with no time.
    const leaveOnly = [visit(sara, S1, null, null, 10)];
    expect(sessionReport({ id: S1, endedAt: null }, leaveOnly, [], at(12)).people[0]).toMatchObject({
      visits: 1,
      minutesPresent: 0,
    });
  });

  it("tells two openings of a session's tables apart, and names a table no longer on record", () => {
    const again: TableRow[] = [
      ...tables,
      { id: T3, sessionId: S1, number: 1, topic: "Parchi", runId: "run-2", openedAt: at(50) },
    ];
    const keys = new Set(["plenary", `table:${T3}`, `table:${T1}`, "table:gone"]);
    expect(roomsOf(S1, keys, again).map((r) => [r.number, r.breakout])).toEqual([
      [null, null],
      [1, 1],
      [1, 2],
      [null, null],
    ]);
    const csv = sessionAttendanceCsv(
      { sessionId: S1, rooms: roomsOf(S1, keys, again), people: [] },
      "en",
      "Europe/Rome",
    );
    expect(csv.split("\r\n")[0]).toBe(
      "\uFEFFName,Email,Visits,Minutes present,Plenary (min),Table 1 · Parchi (breakout 1) (min)," +
        "Table 1 · Parchi (breakout 2) (min),Table (removed) (min),First joined,Last left",
    );
  });
});

describe("attendance CSV", () => {
  const visits = [
    visit(sara, S1, null, 0, 10),
    visit(sara, S1, T1, 10, 25),
    visit(marco, S1, T2, 10, 20),
    visit(sara, S2, null, 120, 150),
  ];
  const sessions = [
    { id: S2, title: "Chiusura", startsAt: at(120), endedAt: null },
    { id: S1, title: "Apertura", startsAt: at(0), endedAt: null },
    { id: "33333333-3333-4333-8333-333333333333", title: "Vuota", startsAt: at(60), endedAt: null },
  ];

  it("writes the session report with the reader's headers and times in the event's zone", () => {
    const csv = sessionAttendanceCsv(
      sessionReport({ id: S1, endedAt: null }, visits, tables, at(200)),
      "it",
      "Europe/Rome",
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.split("\r\n")).toEqual([
      "\uFEFFNome,Email,Accessi,Minuti di presenza,Plenaria (min),Tavolo 1 · Parchi (min),Tavolo 2 · Casa (min),Primo ingresso,Ultima uscita",
      "Marco,marco@example.it,1,10,0,0,10,2027-03-01 09:10,2027-03-01 09:20",
      "Sara,sara@example.it,2,25,10,15,0,2027-03-01 09:00,2027-03-01 09:25",
      "",
    ]);
  });

  it("writes the event report as a row per person with a column group per attended session", () => {
    const report = eventReport("event", sessions, visits, tables, at(200));
    expect(report.sessions.map((s) => s.title)).toEqual(["Apertura", "Chiusura"]);
    expect(report.people.find((p) => p.name === "Sara")).toMatchObject({
      minutesPresent: 55,
      sessions: {
        [S1]: { visits: 2, minutesPresent: 25, minutesByRoom: { plenary: 10, [`table:${T1}`]: 15 } },
        [S2]: { visits: 1, minutesPresent: 30, minutesByRoom: { plenary: 30 } },
      },
    });
    const lines = eventAttendanceCsv(report, "en", "Europe/Rome").split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFName,Email,Minutes present (whole event)," +
        "Apertura — total (min),Apertura — Plenary (min),Apertura — Table 1 · Parchi (min),Apertura — Table 2 · Casa (min)," +
        "Chiusura — total (min),Chiusura — Plenary (min)",
    );
    expect(lines.slice(1, 3)).toEqual([
      "Marco,marco@example.it,10,10,0,0,10,0,0",
      "Sara,sara@example.it,55,25,10,15,0,30,30",
    ]);
  });

  it("keeps sessions that share a title apart by their start, and neutralises formula-like names", () => {
    const twin = [
      { ...sessions[1]!, title: "World Café" },
      { ...sessions[0]!, title: "World Café" },
    ];
    const hostile = [
      { ...visit(sara, S1, null, 0, 10), name: "=HYPERLINK(1)" },
      visit(sara, S2, null, 120, 130),
    ];
    const csv = eventAttendanceCsv(eventReport("event", twin, hostile, tables, at(200)), "en", "Europe/Rome");
    expect(csv).toContain("World Café (2027-03-01 09:00) — total (min)");
    expect(csv).toContain("World Café (2027-03-01 11:00) — total (min)");
    expect(csv).toContain("'=HYPERLINK(1)");
  });
});
