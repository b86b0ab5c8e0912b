// Round 1's seating by strategy: the pure rules of assign.ts fed with what the database knows
// (who came with whom, who signed up for which table).
import { and, asc, breakoutSignups, eq, inArray, registrations, type Tx } from "@convivio/db";
import type { BreakoutStrategy } from "@convivio/protocol";
import {
  assignBalanced,
  assignByChoice,
  assignRandom,
  type Attendee,
  type Random,
  type Seat,
  type Seating,
} from "./assign.js";
import type { SessionContext } from "./store.js";

/** Webmail domains say nothing about who came together. */
const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.it",
  "live.com",
  "live.it",
  "yahoo.com",
  "yahoo.it",
  "icloud.com",
  "me.com",
  "libero.it",
  "virgilio.it",
  "tiscali.it",
  "alice.it",
  "tim.it",
  "fastwebnet.it",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "pec.it",
  "example.it",
  "example.com",
]);

/** Round 1's seating by strategy. */
export async function firstSeating(
  tx: Tx,
  ctx: SessionContext,
  strategy: BreakoutStrategy,
  people: string[],
  seats: Seat[],
  random: Random,
): Promise<Seating> {
  switch (strategy) {
    case "random":
      return assignRandom(people, seats, random);
    case "balanced":
      return assignBalanced(await groupsOf(tx, ctx.eventId, people), seats, random);
    case "manual":
      return seatHostsOnly(seats, people);
    case "topic":
    case "registrations": {
      const signups = people.length
        ? await tx
            .select({ userId: breakoutSignups.userId, tableId: breakoutSignups.tableId })
            .from(breakoutSignups)
            .where(and(eq(breakoutSignups.sessionId, ctx.sessionId), inArray(breakoutSignups.userId, people)))
            .orderBy(asc(breakoutSignups.createdAt))
        : [];
      const chose = new Map(signups.map((s) => [s.userId, s.tableId]));
      // Topic: whoever signed up sits there, the others choose live. Registrations: everyone is seated.
      const choosers =
        strategy === "topic"
          ? people.filter((id) => chose.has(id) || seatHostsOnly(seats, people)[id])
          : people;
      const ordered = [
        ...signups.map((s) => s.userId).filter((id) => choosers.includes(id)),
        ...choosers.filter((id) => !chose.has(id)),
      ];
      return assignByChoice(
        ordered.map((personId) => ({ personId, tableId: chose.get(personId) ?? null })),
        seats,
      );
    }
  }
}

/** Group keys of each person: the invite code they registered with, their organisation's email domain. */
async function groupsOf(tx: Tx, eventId: string, people: string[]): Promise<Attendee[]> {
  if (people.length === 0) return [];
  const rows = await tx
    .select({ userId: registrations.userId, email: registrations.email, code: registrations.inviteCodeId })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), inArray(registrations.userId, people)));
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  return people.map((id) => {
    const row = byUser.get(id);
    const groups: string[] = [];
    if (row?.code) groups.push(`code:${row.code}`);
    const domain = row?.email.split("@")[1]?.toLowerCase();
    if (domain && !PUBLIC_MAIL_DOMAINS.has(domain)) groups.push(`domain:${domain}`);
    return { id, groups };
  });
}

/** Manual seating starts with nobody at a table but the hosts. */
export function seatHostsOnly(seats: readonly Seat[], people: readonly string[]): Seating {
  const present = new Set(people);
  return Object.fromEntries(
    seats.flatMap((s) => (s.hostId && present.has(s.hostId) ? [[s.hostId, s.id]] : [])),
  );
}
