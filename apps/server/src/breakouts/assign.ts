// Who sits at which breakout table: pure functions, no I/O, no clock, randomness injected (a seeded
// source in tests), so the same input always gives the same seating. The server reads people and
// tables from the database, calls one of these, and writes the answer in one transaction.

/** A source of uniform numbers in [0, 1), like Math.random; inject a seeded one for repeatable plans. */
export type Random = () => number;

/** A table as assignment sees it: `seats` null means no limit; a host stays put across rounds. */
export interface Seat {
  id: string;
  seats: number | null;
  hostId?: string | null;
}

/** A person to seat, with the keys of the groups they came with (invite code, email domain, label). */
export interface Attendee {
  id: string;
  groups?: readonly string[];
}

/** Person id -> table id. */
export type Seating = Record<string, string>;

/** Opening tables: a fixed number, or as many as it takes for tables of about `size` people. */
export type TableCount = { count: number } | { size: number };

/** How many tables to open for `people` people (at least one). */
export function tablesFor(people: number, by: TableCount): number {
  if ("count" in by) return Math.max(1, Math.floor(by.count));
  const size = Math.max(1, Math.floor(by.size));
  return Math.max(1, Math.ceil(people / size));
}

/** A seeded generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function countsOf(tables: readonly Seat[], seating: Seating): Map<string, number> {
  const counts = new Map(tables.map((t) => [t.id, 0]));
  for (const tableId of Object.values(seating)) {
    if (counts.has(tableId)) counts.set(tableId, counts.get(tableId)! + 1);
  }
  for (const table of tables) {
    if (table.hostId && seating[table.hostId] !== table.id) counts.set(table.id, counts.get(table.id)! + 1);
  }
  return counts;
}

const hasRoom = (table: Seat, count: number) => table.seats === null || count < table.seats;

/**
 * The least-full table, where a latecomer goes: among tables with a free seat (all tables when every
 * seat is taken, so nobody is left out), the fewest people, then the earliest in `tables` order.
 */
export function leastFull(tables: readonly Seat[], counts: ReadonlyMap<string, number>): string | null {
  if (tables.length === 0) return null;
  const withRoom = tables.filter((t) => hasRoom(t, counts.get(t.id) ?? 0));
  const pool = withRoom.length > 0 ? withRoom : tables;
  let best = pool[0]!;
  for (const table of pool) if ((counts.get(table.id) ?? 0) < (counts.get(best.id) ?? 0)) best = table;
  return best.id;
}

/**
 * Seats latecomers one by one on top of an existing seating: at the table they wished for (signed
 * up for) while it has a free seat, as the first seating does, else at the least-full table.
 */
export function seatLatecomers(
  tables: readonly Seat[],
  seating: Seating,
  latecomers: readonly string[],
  wishes: ReadonlyMap<string, string> = new Map(),
): Seating {
  const out: Seating = { ...seating };
  const counts = countsOf(tables, out);
  const byId = new Map(tables.map((t) => [t.id, t]));
  for (const id of latecomers) {
    if (out[id]) continue;
    const wished = byId.get(wishes.get(id) ?? "");
    const tableId =
      wished && hasRoom(wished, counts.get(wished.id) ?? 0) ? wished.id : leastFull(tables, counts);
    if (tableId === null) break;
    out[id] = tableId;
    counts.set(tableId, (counts.get(tableId) ?? 0) + 1);
  }
  return out;
}

/** Hosts sit at their own table. */
function seatHosts(tables: readonly Seat[]): Seating {
  const out: Seating = {};
  for (const table of tables) if (table.hostId) out[table.hostId] = table.id;
  return out;
}

/** Random: shuffle, then deal round the tables (sizes differ by at most one where seats allow). */
export function assignRandom(people: readonly string[], tables: readonly Seat[], random: Random): Seating {
  const hosts = seatHosts(tables);
  const rest = shuffled(
    people.filter((id) => !hosts[id]),
    random,
  );
  return seatLatecomers(tables, pickHosts(hosts, people), rest);
}

function pickHosts(hosts: Seating, people: readonly string[]): Seating {
  const present = new Set(people);
  return Object.fromEntries(Object.entries(hosts).filter(([id]) => present.has(id)));
}

/**
 * Balanced: people who came together (sharing any group key) are spread over the tables. Larger
 * groups are placed first; each person goes to the table with the fewest people sharing a group
 * with them, then the fewest people, then a random one.
 */
export function assignBalanced(
  people: readonly Attendee[],
  tables: readonly Seat[],
  random: Random,
): Seating {
  if (tables.length === 0) return {};
  const hosts = pickHosts(
    seatHosts(tables),
    people.map((p) => p.id),
  );
  const groupSize = new Map<string, number>();
  for (const person of people)
    for (const key of person.groups ?? []) groupSize.set(key, (groupSize.get(key) ?? 0) + 1);
  const weight = (p: Attendee) => Math.max(0, ...(p.groups ?? []).map((k) => groupSize.get(k) ?? 0));
  const order = shuffled(
    people.filter((p) => !hosts[p.id]),
    random,
  ).sort((a, b) => weight(b) - weight(a));
  const seating: Seating = { ...hosts };
  const counts = countsOf(tables, seating);
  const keysAt = new Map<string, Map<string, number>>(tables.map((t) => [t.id, new Map()]));
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const [personId, tableId] of Object.entries(hosts)) {
    for (const key of byId.get(personId)?.groups ?? []) {
      const at = keysAt.get(tableId)!;
      at.set(key, (at.get(key) ?? 0) + 1);
    }
  }
  for (const person of order) {
    const open = tables.filter((t) => hasRoom(t, counts.get(t.id)!));
    const pool = open.length > 0 ? open : tables;
    let best: Seat[] = [];
    let bestScore = [Infinity, Infinity];
    for (const table of pool) {
      const at = keysAt.get(table.id)!;
      const clash = (person.groups ?? []).reduce((sum, key) => sum + (at.get(key) ?? 0), 0);
      const score = [clash, counts.get(table.id)!];
      const cmp = score[0]! - bestScore[0]! || score[1]! - bestScore[1]!;
      if (cmp < 0) {
        best = [table];
        bestScore = score;
      } else if (cmp === 0) best.push(table);
    }
    const table = best[Math.floor(random() * best.length)]!;
    seating[person.id] = table.id;
    counts.set(table.id, counts.get(table.id)! + 1);
    const at = keysAt.get(table.id)!;
    for (const key of person.groups ?? []) at.set(key, (at.get(key) ?? 0) + 1);
  }
  return seating;
}

/** A person's wish for a table (a topic they picked live, or registered for before the session). */
export interface Choice {
  personId: string;
  tableId: string | null;
}

/**
 * Self-chosen by topic, and from registrations: in the order given (first come, first served),
 * each person sits at the table they chose while it has a free seat; whoever chose nothing, a
 * table that does not exist or a full one is then seated at the least-full table.
 */
export function assignByChoice(choices: readonly Choice[], tables: readonly Seat[]): Seating {
  const people = choices.map((c) => c.personId);
  const seating: Seating = pickHosts(seatHosts(tables), people);
  const counts = countsOf(tables, seating);
  const byId = new Map(tables.map((t) => [t.id, t]));
  const unplaced: string[] = [];
  for (const { personId, tableId } of choices) {
    if (seating[personId]) continue;
    const table = tableId === null ? undefined : byId.get(tableId);
    if (table && hasRoom(table, counts.get(table.id)!)) {
      seating[personId] = table.id;
      counts.set(table.id, counts.get(table.id)! + 1);
    } else unplaced.push(personId);
  }
  return seatLatecomers(tables, seating, unplaced);
}

/** Whether one more person fits at a table that already seats `count`. */
export function canTake(table: Seat, count: number): boolean {
  return hasRoom(table, count);
}

// ---- World-Café rotation ----

/** How often each pair (and each person with each table) met over a set of rounds. */
export interface RotationScore {
  /** Sum over pairs of (times together - 1) for pairs that met more than once. */
  repeatedPairs: number;
  /** Non-hosts sitting at a table they already sat at. */
  revisits: number;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/** Counts repeated meetings in a list of seatings (round 1 first). */
export function scoreRotation(
  rounds: readonly Seating[],
  hosts: ReadonlySet<string> = new Set(),
): RotationScore {
  const pairs = new Map<string, number>();
  const visits = new Map<string, number>();
  for (const seating of rounds) {
    const byTable = new Map<string, string[]>();
    for (const [person, table] of Object.entries(seating)) {
      byTable.set(table, [...(byTable.get(table) ?? []), person]);
      if (!hosts.has(person)) visits.set(`${person} ${table}`, (visits.get(`${person} ${table}`) ?? 0) + 1);
    }
    for (const members of byTable.values()) {
      for (let i = 0; i < members.length; i++)
        for (let j = i + 1; j < members.length; j++) {
          const key = pairKey(members[i]!, members[j]!);
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
    }
  }
  let repeatedPairs = 0;
  for (const n of pairs.values()) repeatedPairs += Math.max(0, n - 1);
  let revisits = 0;
  for (const n of visits.values()) revisits += Math.max(0, n - 1);
  return { repeatedPairs, revisits };
}

/** How hard the search tries; the defaults finish in milliseconds for a few hundred people. */
export interface RotationOptions {
  /** Swap attempts per person per round. */
  effort?: number;
  /** Cost of a non-host returning to a table, against 1 for meeting someone again. */
  revisitWeight?: number;
}

/**
 * World-Café: seatings for rounds 2..`rounds` after `first`. Hosts stay at their table; everyone
 * else moves so that, as far as the numbers allow, nobody meets the same person twice and nobody
 * returns to a table. Table sizes stay those of round 1. A simulated-annealing search over swaps
 * of two travellers within one round, with the injected random source.
 */
export function planRotation(
  first: Seating,
  tables: readonly Seat[],
  rounds: number,
  random: Random,
  options: RotationOptions = {},
): Seating[] {
  const people = Object.keys(first).sort();
  const index = new Map(people.map((id, i) => [id, i]));
  const tableIds = tables.map((t) => t.id).filter((id) => Object.values(first).includes(id));
  const tIndex = new Map(tableIds.map((id, i) => [id, i]));
  const n = people.length;
  const T = tableIds.length;
  const R = Math.max(1, Math.floor(rounds));
  if (R === 1 || n === 0 || T < 2) return [{ ...first }];
  const hostOf = new Set(tables.filter((t) => t.hostId && first[t.hostId] === t.id).map((t) => t.hostId!));
  const revisitWeight = options.revisitWeight ?? 0.5;
  const effort = options.effort ?? 400;

  // seat[r][p] = table index; met[p*n+q] = rounds together; visits[p*T+t] = rounds at table t.
  const seat: Int32Array[] = [];
  const met = new Int32Array(n * n);
  const visits = new Int32Array(n * T);
  const members: number[][][] = [];
  const sizes = new Array<number>(T).fill(0);
  const round0 = new Int32Array(n);
  for (const [person, table] of Object.entries(first)) {
    const p = index.get(person)!;
    round0[p] = tIndex.get(table)!;
    sizes[round0[p]!]!++;
  }
  seat.push(round0);
  const travellers = people.map((_, p) => p).filter((p) => !hostOf.has(people[p]!));
  for (let r = 1; r < R; r++) {
    // Start from a random deal that keeps round 1's table sizes, hosts in place.
    const s = new Int32Array(n);
    const free = [...sizes];
    for (let p = 0; p < n; p++)
      if (hostOf.has(people[p]!)) {
        s[p] = round0[p]!;
        free[s[p]!]!--;
      }
    const slots: number[] = [];
    free.forEach((count, t) => {
      for (let k = 0; k < count; k++) slots.push(t);
    });
    const deal = shuffled(slots, random);
    travellers.forEach((p, k) => (s[p] = deal[k]!));
    seat.push(s);
  }
  for (let r = 0; r < R; r++) {
    const tablesOfRound: number[][] = Array.from({ length: T }, () => []);
    for (let p = 0; p < n; p++) tablesOfRound[seat[r]![p]!]!.push(p);
    members.push(tablesOfRound);
    for (const group of tablesOfRound) {
      for (const p of group) {
        visits[p * T + seat[r]![p]!]!++;
        for (const q of group) if (p !== q) met[p * n + q]!++;
      }
    }
  }

  /** Change in cost if p (at a) and q (at b) swap in round r. */
  const delta = (r: number, p: number, q: number): number => {
    const a = seat[r]![p]!;
    const b = seat[r]![q]!;
    let d = 0;
    // A pair that meets k times costs k-1 when k > 0; leaving a pair lowers k by one.
    for (const m of members[r]![a]!) {
      if (m === p) continue;
      if (m !== q && met[p * n + m]! >= 2) d -= 1; // p leaves m
      if (m !== p && m !== q && met[q * n + m]! >= 1) d += 1; // q joins m
    }
    for (const m of members[r]![b]!) {
      if (m === q) continue;
      if (m !== p && met[q * n + m]! >= 2) d -= 1;
      if (m !== p && m !== q && met[p * n + m]! >= 1) d += 1;
    }
    if (visits[p * T + a]! >= 2) d -= revisitWeight;
    if (visits[p * T + b]! >= 1) d += revisitWeight;
    if (visits[q * T + b]! >= 2) d -= revisitWeight;
    if (visits[q * T + a]! >= 1) d += revisitWeight;
    return d;
  };

  const swap = (r: number, p: number, q: number) => {
    const a = seat[r]![p]!;
    const b = seat[r]![q]!;
    const atA = members[r]![a]!;
    const atB = members[r]![b]!;
    const meet = (x: number, y: number, by: number) => {
      met[x * n + y]! += by;
      met[y * n + x]! += by;
    };
    for (const m of atA) if (m !== p) meet(p, m, -1);
    for (const m of atB) if (m !== q) meet(q, m, -1);
    atA.splice(atA.indexOf(p), 1);
    atB.splice(atB.indexOf(q), 1);
    for (const m of atB) meet(p, m, 1);
    for (const m of atA) meet(q, m, 1);
    atA.push(q);
    atB.push(p);
    visits[p * T + a]!--;
    visits[p * T + b]!++;
    visits[q * T + b]!--;
    visits[q * T + a]!++;
    seat[r]![p] = b;
    seat[r]![q] = a;
  };

  // Annealing wanders; keep the best seating it passed through.
  let cost = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) cost += Math.max(0, met[p * n + q]! - 1);
    if (!hostOf.has(people[p]!))
      for (let t = 0; t < T; t++) cost += revisitWeight * Math.max(0, visits[p * T + t]! - 1);
  }
  let bestCost = cost;
  let best = seat.map((s) => Int32Array.from(s));
  const steps = effort * Math.max(1, travellers.length) * (R - 1);
  if (travellers.length >= 2) {
    for (let step = 0; step < steps && bestCost > 0; step++) {
      const temperature = 1.5 * (1 - step / steps) + 0.01;
      const r = 1 + Math.floor(random() * (R - 1));
      const p = travellers[Math.floor(random() * travellers.length)]!;
      const q = travellers[Math.floor(random() * travellers.length)]!;
      if (seat[r]![p] === seat[r]![q]) continue;
      const d = delta(r, p, q);
      if (d <= 0 || random() < Math.exp(-d / temperature)) {
        swap(r, p, q);
        cost += d;
        if (cost < bestCost - 1e-9) {
          bestCost = cost;
          best = seat.map((s) => Int32Array.from(s));
        }
      }
    }
  }
  return best.map((s) => Object.fromEntries(people.map((id, p) => [id, tableIds[s[p]!]!])));
}
