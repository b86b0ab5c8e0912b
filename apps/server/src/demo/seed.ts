import { agendaSessions, consentTexts, eq, eventMembers, events, spaces, users, type Db } from "@convivio/db";
import type { EventRole } from "@convivio/protocol";
import type { AuthService } from "../auth/service.js";

export const DEMO_EVENT_SLUG = "laboratorio-partecipazione-digitale";

const PEOPLE: { label: string; email: string; name: string; role: EventRole }[] = [
  { label: "organizer", email: "organizzatrice@demo.convivio.test", name: "Giulia Ferri", role: "organizer" },
  {
    label: "facilitator",
    email: "facilitatore@demo.convivio.test",
    name: "Marco Rinaldi",
    role: "facilitator",
  },
  { label: "attendee", email: "partecipante@demo.convivio.test", name: "Sara Conti", role: "attendee" },
];

const HOUR_MS = 3_600_000;

const DEMO_CONSENT = {
  version: "demo-1",
  text:
    "Usiamo nome ed email solo per gestire la tua iscrizione a questo laboratorio e per scriverti " +
    "a proposito di esso; li cancelliamo trenta giorni dopo la fine dell'evento.",
};

/** Midnight UTC of the day after `now`, so the demo is always upcoming. */
function tomorrowUtc(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
}

/**
 * Seeds a two-day co-design lab with two spaces, a plenary and workshops, and the three demo
 * people. Running it again changes nothing and only prints fresh sign-in links.
 */
export async function seedDemo(db: Db, auth: AuthService, now: Date = new Date()) {
  const people: ((typeof PEOPLE)[number] & { id: string })[] = [];
  for (const person of PEOPLE) {
    await db
      .insert(users)
      .values({ email: person.email, name: person.name, locale: "it", emailVerifiedAt: now })
      .onConflictDoNothing();
    const [row] = await db.select().from(users).where(eq(users.email, person.email));
    people.push({ ...person, id: row!.id });
  }

  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: events.id })
      .from(events)
      .where(eq(events.slug, DEMO_EVENT_SLUG));
    if (existing) return;
    // 09:00 Europe/Rome is 07:00 or 08:00 UTC; 08:00 UTC keeps the agenda inside a working day either way.
    const day1 = tomorrowUtc(now) + 8 * HOUR_MS;
    const day2 = day1 + 24 * HOUR_MS;
    const [event] = await tx
      .insert(events)
      .values({
        slug: DEMO_EVENT_SLUG,
        title: "Laboratorio di co-progettazione: tecnologie digitali per la partecipazione",
        description:
          "Due giornate online per amministrazioni, comunità civiche e facilitatori: una plenaria di apertura, " +
          "tavoli tematici in stile World Café e una votazione finale delle idee emerse.",
        timeZone: "Europe/Rome",
        startsAt: new Date(day1),
        endsAt: new Date(day2 + 8 * HOUR_MS),
        visibility: "public",
        languages: ["it", "en"],
        createdBy: people[0]!.id,
        registrationEnabled: true,
        capacity: 80,
        waitlistEnabled: true,
        consentText: DEMO_CONSENT.text,
        consentVersion: DEMO_CONSENT.version,
      })
      .returning();
    await tx.insert(consentTexts).values({ eventId: event!.id, ...DEMO_CONSENT });
    const [plenaria, laboratori] = await tx
      .insert(spaces)
      .values([
        { eventId: event!.id, name: "Plenaria", position: 0 },
        { eventId: event!.id, name: "Laboratori", position: 1 },
      ])
      .returning();
    const at = (start: number, hours: number) => ({
      startsAt: new Date(start),
      endsAt: new Date(start + hours * HOUR_MS),
    });
    await tx.insert(agendaSessions).values([
      {
        eventId: event!.id,
        spaceId: plenaria!.id,
        title: "Apertura: perché partecipare online",
        description: "Benvenuto, obiettivi delle due giornate e regole del laboratorio.",
        kind: "plenary",
        ...at(day1, 1),
      },
      {
        eventId: event!.id,
        spaceId: laboratori!.id,
        title: "Tavoli tematici: servizi pubblici digitali",
        description: "Lavoro in piccoli gruppi: problemi, idee e priorità.",
        kind: "workshop",
        capacity: 24,
        registrationEnabled: true,
        ...at(day1 + 1.5 * HOUR_MS, 2),
      },
      {
        eventId: event!.id,
        spaceId: laboratori!.id,
        title: "Tavoli tematici: bilancio partecipativo",
        description: "Come coinvolgere i cittadini nelle scelte di spesa del comune.",
        kind: "workshop",
        capacity: 24,
        registrationEnabled: true,
        ...at(day2, 2),
      },
      {
        eventId: event!.id,
        spaceId: plenaria!.id,
        title: "Plenaria finale: votazione delle idee",
        description: "Le idee migliori di ogni tavolo, votate da tutti.",
        kind: "plenary",
        ...at(day2 + 3 * HOUR_MS, 1.5),
      },
    ]);
    await tx
      .insert(eventMembers)
      .values(people.map((p) => ({ eventId: event!.id, userId: p.id, role: p.role })))
      .onConflictDoNothing();
  });

  const links = [];
  for (const person of people) {
    links.push({
      label: person.label,
      email: person.email,
      url: await auth.createMagicLinkUrl(person.id, "/dashboard"),
    });
  }
  return { eventSlug: DEMO_EVENT_SLUG, people: links };
}
