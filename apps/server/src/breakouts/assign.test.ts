import { describe, expect, it } from "vitest";
import {
  assignBalanced,
  assignByChoice,
  assignRandom,
  leastFull,
  planRotation,
  scoreRotation,
  seatLatecomers,
  seededRandom,
  tablesFor,
  type Seat,
  type Seating,
} from "./assign.js";
import { seatHostsOnly } from "./seating.js";

const people = (n: number, prefix = "p") =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
const tables = (n: number, seats: number | null = null): Seat[] =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i + 1}`, seats }));
const sizes = (seating: Seating, ts: readonly Seat[]) =>
  ts.map((t) => Object.values(seating).filter((id) => id === t.id).length);

describe("opening tables", () => {
  it("by count, or by size (rounding up so nobody is left over)", () => {
    expect(tablesFor(60, { count: 10 })).toBe(10);
    expect(tablesFor(60, { size: 6 })).toBe(10);
    expect(tablesFor(61, { size: 6 })).toBe(11);
    expect(tablesFor(0, { size: 6 })).toBe(1);
  });
});

describe("random", () => {
  it("seats everyone, sizes differ by at most one, and a seed repeats the plan", () => {
    const ps = people(23);
    const ts = tables(5);
    const a = assignRandom(ps, ts, seededRandom(7));
    expect(Object.keys(a).sort()).toEqual(ps);
    const s = sizes(a, ts);
    expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
    expect(assignRandom(ps, ts, seededRandom(7))).toEqual(a);
    expect(assignRandom(ps, ts, seededRandom(8))).not.toEqual(a);
  });

  it("keeps a present host at their table", () => {
    const ts: Seat[] = [
      { id: "t1", seats: null, hostId: "p005" },
      { id: "t2", seats: null, hostId: "p006" },
    ];
    const a = assignRandom(people(10), ts, seededRandom(1));
    expect(a.p005).toBe("t1");
    expect(a.p006).toBe("t2");
    expect(sizes(a, ts)).toEqual([5, 5]);
  });
});

describe("balanced", () => {
  it("spreads people who came together over the tables", () => {
    // Four companies of four, one table per company's worth of people: every table gets one of each.
    const attendees = people(16).map((id, i) => ({ id, groups: [`domain:company${i % 4}.it`] }));
    const ts = tables(4);
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = assignBalanced(attendees, ts, seededRandom(seed));
      for (const t of ts) {
        const at = attendees.filter((p) => a[p.id] === t.id).map((p) => p.groups[0]);
        expect(new Set(at).size).toBe(4);
      }
    }
  });

  it("a group larger than the tables lands as evenly as possible; several keys per person count", () => {
    const attendees = [
      ...people(9, "code").map((id) => ({ id, groups: ["code:ABC"] })),
      ...people(3, "x").map((id) => ({ id, groups: ["domain:x.it", "label:red"] })),
    ];
    const ts = tables(3);
    const a = assignBalanced(attendees, ts, seededRandom(11));
    for (const t of ts) {
      expect(attendees.filter((p) => p.groups[0] === "code:ABC" && a[p.id] === t.id)).toHaveLength(3);
      expect(attendees.filter((p) => p.groups[0] === "domain:x.it" && a[p.id] === t.id)).toHaveLength(1);
    }
  });

  it("respects seats while any are free", () => {
    const ts: Seat[] = [
      { id: "small", seats: 2 },
      { id: "big", seats: 10 },
    ];
    const a = assignBalanced(
      people(8).map((id) => ({ id })),
      ts,
      seededRandom(3),
    );
    expect(sizes(a, ts)).toEqual([2, 6]);
  });
});

describe("manual", () => {
  // The moves themselves are seat rows written by the service (commands.integration.test.ts).
  it("starts with nobody at a table but the hosts who are there", () => {
    const ts: Seat[] = [
      { id: "t1", seats: null, hostId: "h1" },
      { id: "t2", seats: null, hostId: "h2" },
      { id: "t3", seats: null },
    ];
    expect(seatHostsOnly(ts, ["a", "h1", "b"])).toEqual({ h1: "t1" });
    expect(seatHostsOnly(ts, [])).toEqual({});
  });
});

describe("self-chosen by topic and from registrations", () => {
  it("first come, first served within the seats; the rest go to the least-full table", () => {
    const ts: Seat[] = [
      { id: "mobility", seats: 2 },
      { id: "schools", seats: 3 },
      { id: "parks", seats: 3 },
    ];
    const a = assignByChoice(
      [
        { personId: "p1", tableId: "mobility" },
        { personId: "p2", tableId: "mobility" },
        { personId: "p3", tableId: "mobility" }, // full: overflows
        { personId: "p4", tableId: "schools" },
        { personId: "p5", tableId: null },
        { personId: "p6", tableId: "nowhere" },
      ],
      ts,
    );
    expect(a.p1).toBe("mobility");
    expect(a.p2).toBe("mobility");
    expect(a.p4).toBe("schools");
    expect(a.p3).not.toBe("mobility");
    expect(Object.keys(a)).toHaveLength(6);
    expect(sizes(a, ts)).toEqual([2, 2, 2]);
  });

  it("who registered for a table lands in it", () => {
    const ts = tables(3, 5);
    const choices = people(12).map((personId, i) => ({ personId, tableId: `t${(i % 3) + 1}` }));
    const a = assignByChoice(choices, ts);
    for (const c of choices) expect(a[c.personId]).toBe(c.tableId);
  });
});

describe("latecomers", () => {
  it("go to the least-full table with a free seat, earliest table on a tie", () => {
    const ts: Seat[] = [
      { id: "t1", seats: 3 },
      { id: "t2", seats: 2 },
      { id: "t3", seats: 4 },
    ];
    const start: Seating = { a: "t1", b: "t2", c: "t2", d: "t3" };
    expect(
      leastFull(
        ts,
        new Map([
          ["t1", 1],
          ["t2", 2],
          ["t3", 1],
        ]),
      ),
    ).toBe("t1");
    const after = seatLatecomers(ts, start, ["e", "f", "g"]);
    expect(after.e).toBe("t1");
    expect(after.f).toBe("t3");
    expect(after.g).toBe("t1");
    // Every seat taken: nobody is left out, the least-full table takes them.
    const full = seatLatecomers(ts, { ...after, h: "t3", i: "t3" }, ["late"]);
    expect(full.late).toBe("t2");
  });

  it("sit at the table they signed up for while it has a seat, else at the least-full one", () => {
    const ts: Seat[] = [
      { id: "t1", seats: 2 },
      { id: "t2", seats: 3 },
      { id: "t3", seats: 3 },
    ];
    const start: Seating = { a: "t1", b: "t2", c: "t2" };
    const wishes = new Map([
      ["x", "t2"], // a seat left: there, although t3 is emptier
      ["y", "t2"], // now full: the least-full table instead
      ["z", "gone"], // a table that is not open: the least-full table
    ]);
    const after = seatLatecomers(ts, start, ["x", "y", "z", "w"], wishes);
    expect(after).toMatchObject({ x: "t2", y: "t3", z: "t1", w: "t3" });
    expect(start).toEqual({ a: "t1", b: "t2", c: "t2" });
  });
});

describe("World-Café rotation", () => {
  it("16 people, 4 tables, 3 rounds: nobody meets anyone twice", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const ps = people(16);
      const ts = tables(4);
      const first = assignRandom(ps, ts, seededRandom(seed));
      const rounds = planRotation(first, ts, 3, seededRandom(seed));
      expect(rounds).toHaveLength(3);
      expect(rounds[0]).toEqual(first);
      for (const round of rounds) expect(sizes(round, ts)).toEqual([4, 4, 4, 4]);
      expect(scoreRotation(rounds).repeatedPairs, `seed ${seed}`).toBe(0);
    }
  });

  it("hosts stay at their table every round; the travellers meet nobody twice, hosts included", () => {
    const ps = people(16);
    const ts: Seat[] = tables(4).map((t, i) => ({ ...t, hostId: ps[i] }));
    const first = assignRandom(ps, ts, seededRandom(42));
    const rounds = planRotation(first, ts, 3, seededRandom(42));
    for (const round of rounds) ts.forEach((t) => expect(round[t.hostId!]).toBe(t.id));
    const hosts = new Set(ts.map((t) => t.hostId!));
    expect(scoreRotation(rounds, hosts)).toEqual({ repeatedPairs: 0, revisits: 0 });
  });

  it("when repeats cannot be avoided, it finds the fewest (checked against every possible plan)", () => {
    // 6 people at 2 tables of 3 over 3 rounds: any two splits share two pairs, so repeats are certain.
    const ps = people(6);
    const ts = tables(2);
    const first = assignRandom(ps, ts, seededRandom(5));
    const splits: Seating[] = [];
    for (let mask = 0; mask < 64; mask++) {
      const atOne = ps.filter((_, i) => mask & (1 << i));
      if (atOne.length === 3)
        splits.push(Object.fromEntries(ps.map((id) => [id, atOne.includes(id) ? "t1" : "t2"])));
    }
    const cost = (rounds: Seating[]) => {
      const s = scoreRotation(rounds);
      return s.repeatedPairs + 0.5 * s.revisits;
    };
    let optimum = Infinity;
    for (const second of splits)
      for (const third of splits) optimum = Math.min(optimum, cost([first, second, third]));
    for (const seed of [1, 2, 3]) {
      const rounds = planRotation(first, ts, 3, seededRandom(seed));
      expect(cost(rounds), `seed ${seed}`).toBe(optimum);
    }
  });

  it("60 tables of 6 over 4 rounds stays repeat-free and fast", () => {
    const ps = people(360);
    const ts = tables(60);
    const first = assignRandom(ps, ts, seededRandom(9));
    const rounds = planRotation(first, ts, 4, seededRandom(9));
    expect(scoreRotation(rounds).repeatedPairs).toBe(0);
  });

  it("one round, or one table, is just the first seating", () => {
    const first = assignRandom(people(5), tables(1), seededRandom(1));
    expect(planRotation(first, tables(1), 3, seededRandom(1))).toEqual([first]);
    expect(planRotation(first, tables(1), 1, seededRandom(1))).toEqual([first]);
  });
});
