// Vertical sharing: an editor of a community sends a published item down to all or chosen
// descendant communities; each lands in the receiver's inbox, where its editors adopt it (a linked
// draft copy with the original's attachments, "adapted from" kept), decline it, or report how it went. The tally is the sender's
// view of all that; every change is pushed live to the sending community's editors (see
// `TallyNotifier`), the REST tally staying the source of truth.
import {
  and,
  asc,
  communities,
  communityMembers,
  desc,
  eq,
  inArray,
  libraryDeliveries,
  libraryItems,
  sql,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  type DeliveryId,
  type InboxEntry,
  type LibraryItemId,
  type LibraryTally,
  type Outcome,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { descendantsOf, findCommunity, isEditor, refOf, roleIn } from "./communities.js";
import { insertItem, visibleItem, type ItemRow } from "./items.js";
import { copyAttachments } from "./attachments.js";

/** Pushes a changed tally to the people who may see it. */
export type TallyNotifier = (userIds: string[], tally: LibraryTally) => void;

export class Sharing {
  private notifier: TallyNotifier | undefined;

  constructor(private readonly db: Db) {}

  /** Set once the socket server exists. */
  setNotifier(notifier: TallyNotifier): void {
    this.notifier = notifier;
  }

  /** The item, if the caller is an editor or admin of its community (the sender's side). */
  private async senderItem(userId: string, itemId: string): Promise<ItemRow> {
    const item = await visibleItem(this.db, userId, itemId);
    if (!isEditor(await roleIn(this.db, item.communityId, userId))) {
      throw new HttpError(ErrorCode.forbidden, "Only editors of the item's community may do this");
    }
    return item;
  }

  async descendants(userId: string, itemId: string) {
    const item = await this.senderItem(userId, itemId);
    const below = await descendantsOf(this.db, item.communityId);
    if (below.length === 0) return [];
    const depth = new Map(below.map((d) => [d.id, d.depth]));
    const rows = await this.db
      .select()
      .from(communities)
      .where(inArray(communities.id, [...depth.keys()]))
      .orderBy(asc(communities.name));
    return rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      name: row.name,
      kind: row.kind,
      parentId: row.parentId,
      depth: depth.get(row.id)!,
    }));
  }

  /**
   * Sends a published item down. Every chosen community must be a descendant of the item's
   * community, or nothing is sent. Sending again to a community that already has it is a no-op.
   */
  async sendDown(
    userId: string,
    itemId: string,
    target: "all" | string[],
    note: string,
    now: Date,
  ): Promise<LibraryTally> {
    const item = await this.senderItem(userId, itemId);
    if (item.status !== "published") {
      throw new HttpError(ErrorCode.conflict, "Publish the item before sending it down");
    }
    const below = new Set((await descendantsOf(this.db, item.communityId)).map((d) => d.id));
    const chosen = target === "all" ? [...below] : [...new Set(target)];
    const outside = chosen.filter((id) => !below.has(id));
    if (outside.length > 0) {
      throw new HttpError(
        ErrorCode.validationFailed,
        "Every target must be a community below the item's own",
        [{ path: "target", message: `not a descendant: ${outside.join(", ")}` }],
      );
    }
    if (chosen.length === 0)
      throw new HttpError(ErrorCode.validationFailed, "This community has none below it");
    await this.db
      .insert(libraryDeliveries)
      .values(
        chosen.map((communityId) => ({
          itemId: item.id,
          communityId,
          fromCommunityId: item.communityId,
          sentBy: userId,
          note,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
    return this.changed(item.id);
  }

  async tallyFor(userId: string, itemId: string): Promise<LibraryTally> {
    const item = await this.senderItem(userId, itemId);
    return this.tally(item.id);
  }

  private async tally(itemId: string): Promise<LibraryTally> {
    const rows = await this.db
      .select({
        delivery: libraryDeliveries,
        community: { id: communities.id, slug: communities.slug, name: communities.name },
        copyStatus: sql<
          ItemRow["status"] | null
        >`(SELECT c.status FROM library_items c WHERE c.id = ${libraryDeliveries.adoptedItemId})`,
      })
      .from(libraryDeliveries)
      .innerJoin(communities, eq(communities.id, libraryDeliveries.communityId))
      .where(eq(libraryDeliveries.itemId, itemId))
      .orderBy(asc(communities.name), asc(communities.id));
    const counts = { received: rows.length, adopted: 0, declined: 0, outcomes: 0 };
    for (const { delivery } of rows) {
      if (delivery.status === "adopted") counts.adopted += 1;
      if (delivery.status === "declined") counts.declined += 1;
      if (delivery.outcome) counts.outcomes += 1;
    }
    return {
      itemId: itemId as LibraryItemId,
      counts,
      rows: rows.map(({ delivery: d, community, copyStatus }) => ({
        deliveryId: d.id as DeliveryId,
        community: refOf(community),
        status: d.status,
        // The same tally goes to every editor of the sending side: it links a copy only once the
        // visibility rule lets them all open it (a published adaptation of their item).
        adoptedItemId: copyStatus === "published" ? (d.adoptedItemId as LibraryItemId | null) : null,
        copyStatus: copyStatus ?? null,
        outcome: d.outcome,
        outcomeOn: d.outcomeOn,
        outcomeNote: d.outcomeNote,
        updatedAt: d.updatedAt.toISOString(),
      })),
    };
  }

  /** Recomputes the tally after a committed change and pushes it to the sending side. */
  private async changed(itemId: string): Promise<LibraryTally> {
    const tally = await this.tally(itemId);
    if (this.notifier) {
      const [item] = await this.db
        .select({ communityId: libraryItems.communityId })
        .from(libraryItems)
        .where(eq(libraryItems.id, itemId));
      const editors = item
        ? await this.db
            .select({ userId: communityMembers.userId })
            .from(communityMembers)
            .where(
              and(
                eq(communityMembers.communityId, item.communityId),
                inArray(communityMembers.role, ["editor", "admin"]),
              ),
            )
        : [];
      const senders = await this.db
        .selectDistinct({ userId: libraryDeliveries.sentBy })
        .from(libraryDeliveries)
        .where(eq(libraryDeliveries.itemId, itemId));
      const people = new Set([...editors, ...senders].flatMap((r) => (r.userId ? [r.userId] : [])));
      this.notifier([...people], tally);
    }
    return tally;
  }

  /**
   * An item's status changed: if it is a copy adopted from an item sent down, the sender's tally
   * shows the copy's new state (being adapted, or published and open to them).
   */
  async copyChanged(itemId: string): Promise<void> {
    const [delivery] = await this.db
      .select({ itemId: libraryDeliveries.itemId })
      .from(libraryDeliveries)
      .where(eq(libraryDeliveries.adoptedItemId, itemId));
    if (delivery) await this.changed(delivery.itemId);
  }

  async inbox(userId: string, communityId: string): Promise<InboxEntry[]> {
    if (!isEditor(await roleIn(this.db, communityId, userId))) {
      throw new HttpError(ErrorCode.forbidden, "The inbox is for the community's editors and admins");
    }
    const rows = await this.inboxRows(sql`${libraryDeliveries.communityId} = ${communityId}`);
    return rows;
  }

  private async inboxRows(where: ReturnType<typeof sql>): Promise<InboxEntry[]> {
    const rows = await this.db
      .select({
        delivery: libraryDeliveries,
        item: {
          id: libraryItems.id,
          title: libraryItems.title,
          kind: libraryItems.kind,
          summary: libraryItems.summary,
          status: libraryItems.status,
        },
        community: { id: communities.id, slug: communities.slug, name: communities.name },
      })
      .from(libraryDeliveries)
      .innerJoin(libraryItems, eq(libraryItems.id, libraryDeliveries.itemId))
      .innerJoin(communities, eq(communities.id, libraryItems.communityId))
      .where(where)
      .orderBy(desc(libraryDeliveries.createdAt), asc(libraryDeliveries.id));
    const senders = new Map<string, { id: string; slug: string; name: string }>();
    const fromIds = [...new Set(rows.map((r) => r.delivery.fromCommunityId))];
    if (fromIds.length) {
      for (const c of await this.db
        .select({ id: communities.id, slug: communities.slug, name: communities.name })
        .from(communities)
        .where(inArray(communities.id, fromIds))) {
        senders.set(c.id, c);
      }
    }
    return rows.map(({ delivery: d, item, community }) => ({
      id: d.id as DeliveryId,
      item: {
        id: item.id as LibraryItemId,
        title: item.title,
        kind: item.kind,
        summary: item.summary,
        status: item.status,
        community: refOf(community),
      },
      from: refOf(senders.get(d.fromCommunityId) ?? community),
      note: d.note,
      status: d.status,
      adoptedItemId: d.adoptedItemId as LibraryItemId | null,
      outcome: d.outcome,
      outcomeOn: d.outcomeOn,
      outcomeNote: d.outcomeNote,
      createdAt: d.createdAt.toISOString(),
    }));
  }

  /** The delivery, if the caller is an editor or admin of the receiving community; 404 otherwise. */
  private async receiverDelivery(userId: string, deliveryId: string) {
    const [delivery] = await this.db
      .select()
      .from(libraryDeliveries)
      .where(eq(libraryDeliveries.id, deliveryId));
    if (!delivery) throw new HttpError(ErrorCode.notFound);
    const role = await roleIn(this.db, delivery.communityId, userId);
    if (role === null) throw new HttpError(ErrorCode.notFound);
    if (!isEditor(role))
      throw new HttpError(ErrorCode.forbidden, "Only editors of the receiving community may");
    return delivery;
  }

  private async entry(deliveryId: string): Promise<InboxEntry> {
    const [entry] = await this.inboxRows(sql`${libraryDeliveries.id} = ${deliveryId}`);
    return entry!;
  }

  /** Adopts an item sent down: a draft copy in the receiving community, linked to the original. */
  async adopt(userId: string, deliveryId: string, now: Date): Promise<string> {
    const delivery = await this.receiverDelivery(userId, deliveryId);
    const copyId = await this.db.transaction(async (tx) => {
      const [locked] = await tx
        .select()
        .from(libraryDeliveries)
        .where(eq(libraryDeliveries.id, delivery.id))
        .for("update");
      if (!locked || locked.status === "adopted") throw new HttpError(ErrorCode.conflict, "Already adopted");
      const [original] = await tx.select().from(libraryItems).where(eq(libraryItems.id, locked.itemId));
      if (!original || original.status !== "published") {
        throw new HttpError(ErrorCode.conflict, "The item was withdrawn by its community");
      }
      const copy = await insertItem(
        tx,
        {
          kind: original.kind,
          title: original.title,
          summary: original.summary,
          body: original.body,
          tags: original.tags,
          territory: (await findCommunity(tx, locked.communityId)).name,
          language: original.language,
          communityId: locked.communityId,
          status: "draft",
          audience: "community",
          authorId: userId,
          adaptedFromId: original.id,
          sourceBoardId: original.sourceBoardId,
        },
        now,
      );
      await copyAttachments(tx, original.id, copy.id, userId, now);
      await tx
        .update(libraryDeliveries)
        .set({ status: "adopted", adoptedItemId: copy.id, decidedBy: userId, updatedAt: now })
        .where(eq(libraryDeliveries.id, locked.id));
      return copy.id;
    });
    await this.changed(delivery.itemId);
    return copyId;
  }

  async decline(userId: string, deliveryId: string, now: Date): Promise<InboxEntry> {
    const delivery = await this.receiverDelivery(userId, deliveryId);
    const [updated] = await this.db
      .update(libraryDeliveries)
      .set({ status: "declined", decidedBy: userId, updatedAt: now })
      .where(and(eq(libraryDeliveries.id, delivery.id), eq(libraryDeliveries.status, "received")))
      .returning({ id: libraryDeliveries.id });
    if (!updated)
      throw new HttpError(ErrorCode.conflict, "Only an item not yet adopted or declined can be declined");
    await this.changed(delivery.itemId);
    return this.entry(delivery.id);
  }

  async reportOutcome(
    userId: string,
    deliveryId: string,
    outcome: { outcome: Outcome; on: string; note: string },
    now: Date,
  ): Promise<InboxEntry> {
    const delivery = await this.receiverDelivery(userId, deliveryId);
    await this.db
      .update(libraryDeliveries)
      .set({
        outcome: outcome.outcome,
        outcomeOn: outcome.on,
        outcomeNote: outcome.note,
        decidedBy: userId,
        updatedAt: now,
      })
      .where(eq(libraryDeliveries.id, delivery.id));
    await this.changed(delivery.itemId);
    return this.entry(delivery.id);
  }
}
