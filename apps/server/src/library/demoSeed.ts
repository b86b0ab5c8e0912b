// The library's part of the demo (`npm start -- --demo`): a small community tree (Italia ->
// Lazio, Lombardia -> Roma, Milano) and a thematic community of practice that the demo event
// belongs to, three editors to sign in as (national; Roma's and Milano's, who admin their own
// group), and a few items. Running it again changes nothing.
import { communities, communityMembers, eq, events, users, type Db } from "@convivio/db";
import type { AuthService } from "../auth/service.js";
import { insertItem } from "./items.js";

const PEOPLE = [
  { label: "national", email: "nazionale@demo.convivio.test", name: "Elena Bianchi" },
  { label: "roma", email: "roma@demo.convivio.test", name: "Paolo Greco" },
  { label: "milano", email: "milano@demo.convivio.test", name: "Chiara Colombo" },
] as const;

const FACILITATOR_EMAIL = "facilitatore@demo.convivio.test";

export async function seedLibraryDemo(db: Db, auth: AuthService, eventSlug: string, now: Date = new Date()) {
  const ids: Record<string, string> = {};
  for (const person of PEOPLE) {
    await db
      .insert(users)
      .values({ email: person.email, name: person.name, locale: "it", emailVerifiedAt: now })
      .onConflictDoNothing();
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, person.email));
    ids[person.label] = row!.id;
  }
  const [facilitator] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, FACILITATOR_EMAIL));

  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.slug, "italia"));
    if (existing) return;
    const add = async (
      slug: string,
      name: string,
      kind: "national" | "regional" | "local" | "thematic",
      parentId: string | null,
      description = "",
    ) => {
      const [row] = await tx
        .insert(communities)
        .values({ slug, name, kind, parentId, description, createdBy: ids.national!, createdAt: now })
        .returning({ id: communities.id });
      return row!.id;
    };
    const italia = await add(
      "italia",
      "Italia",
      "national",
      null,
      "Il gruppo nazionale: atti e indirizzi per tutti i territori.",
    );
    const lazio = await add("lazio", "Lazio", "regional", italia);
    const lombardia = await add("lombardia", "Lombardia", "regional", italia);
    const roma = await add("roma", "Roma", "local", lazio, "Il gruppo consiliare di Roma.");
    const milano = await add("milano", "Milano", "local", lombardia, "Il gruppo consiliare di Milano.");
    const practice = await add(
      "tecnologie-partecipazione",
      "Tecnologie digitali per la partecipazione",
      "thematic",
      null,
      "Comunità di pratica: esperienze, casi d'uso, risorse e metodi.",
    );
    // The national editor has no seat in the local groups: what she sees of their adaptations is
    // what any sender above sees (visibility.ts), not what an admin of every level would.
    const members = [
      ...[italia, lazio, lombardia, practice].map((communityId) => ({
        communityId,
        userId: ids.national!,
        role: "admin" as const,
      })),
      { communityId: roma, userId: ids.roma!, role: "admin" as const },
      { communityId: milano, userId: ids.milano!, role: "admin" as const },
      ...(facilitator ? [{ communityId: practice, userId: facilitator.id, role: "editor" as const }] : []),
    ];
    await tx.insert(communityMembers).values(members.map((m) => ({ ...m, createdAt: now })));
    await tx.update(events).set({ communityId: practice }).where(eq(events.slug, eventSlug));
    await insertItem(
      tx,
      {
        kind: "act",
        title: "Mozione per i bilanci partecipativi nei comuni",
        summary:
          "Un modello di mozione per destinare una quota del bilancio a progetti scelti dai cittadini.",
        body:
          "## Premesso che\n\nLa partecipazione dei cittadini alle scelte di spesa rafforza la fiducia nelle istituzioni.\n\n" +
          "## Impegna la Giunta\n\n1. a destinare almeno l'1% della spesa corrente a un bilancio partecipativo;\n" +
          "2. a pubblicare i progetti e i voti in formato aperto.",
        tags: ["bilancio", "partecipazione"],
        territory: "Italia",
        language: "it",
        communityId: italia,
        status: "published",
        audience: "everyone",
        authorId: ids.national!,
        adaptedFromId: null,
        sourceBoardId: null,
      },
      now,
    );
    await insertItem(
      tx,
      {
        kind: "practice",
        title: "Consulte di quartiere online",
        summary:
          "Come il gruppo di Roma ha aperto le consulte di quartiere ai residenti con incontri online mensili.",
        body: "Incontri mensili su una piattaforma aperta, con un verbale pubblicato entro una settimana.",
        tags: ["quartieri", "partecipazione"],
        territory: "Roma",
        language: "it",
        communityId: roma,
        status: "published",
        audience: "siblings",
        authorId: ids.roma!,
        adaptedFromId: null,
        sourceBoardId: null,
      },
      now,
    );
  });

  const links = [];
  for (const person of PEOPLE) {
    links.push({
      label: person.label,
      email: person.email,
      url: await auth.createMagicLinkUrl(ids[person.label]!, "/dashboard"),
    });
  }
  return links;
}
