// Communities and the shared library (issue 8): the REST bodies, the search query, vertical sharing
// (send down, inbox, adopt / decline / outcome, the sender's tally) and the one socket event that
// pushes a tally to the sender's open page. The visibility rules themselves live on the server
// (apps/server/src/library/visibility.ts); these schemas only shape what crosses the wire.
import { z } from "zod";
import { Email, Locale } from "./common.js";
import { Slug } from "./events.js";
import { BoardId, IdeaId } from "./board.js";
import { UserId } from "./ids.js";

const uuid = <B extends string>(_brand: B) => z.uuid().brand<B>();

export const CommunityId = uuid("CommunityId");
export type CommunityId = z.infer<typeof CommunityId>;
export const LibraryItemId = uuid("LibraryItemId");
export type LibraryItemId = z.infer<typeof LibraryItemId>;
export const DeliveryId = uuid("DeliveryId");
export type DeliveryId = z.infer<typeof DeliveryId>;
export const ItemCommentId = uuid("ItemCommentId");
export type ItemCommentId = z.infer<typeof ItemCommentId>;
export const AttachmentId = uuid("AttachmentId");
export type AttachmentId = z.infer<typeof AttachmentId>;

export const LIBRARY_LIMITS = {
  titleMaxLength: 200,
  summaryMaxLength: 1_000,
  bodyMaxLength: 100_000,
  tagMaxLength: 40,
  maxTags: 12,
  territoryMaxLength: 120,
  commentMaxLength: 4_000,
  noteMaxLength: 1_000,
  queryMaxLength: 200,
  pageSizeMax: 50,
  /** Largest attachment accepted, in bytes. */
  attachmentMaxBytes: 10 * 1024 * 1024,
  maxAttachments: 20,
  /** Most adaptations an item page lists below an item (the rest are counted as not shown). */
  adaptationsShownMax: 100,
  /** How many levels of adaptations below an item a page walks (national -> regional -> local ...). */
  adaptationDepthMax: 8,
} as const;

// Free text needs no NUL check of its own here: the server refuses a NUL character or a lone
// surrogate (which PostgreSQL cannot store) in every parsed REST body and query, for every route at
// once, with a 400 validation_failed (apps/server/src/http/routes.ts).

/** Attachment types accepted; the server checks the bytes, not only the declared type. */
export const ATTACHMENT_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/webp"] as const;
export const AttachmentType = z.enum(ATTACHMENT_TYPES);
export type AttachmentType = z.infer<typeof AttachmentType>;

// ---- communities ----

export const COMMUNITY_KINDS = ["national", "regional", "local", "thematic"] as const;
export const CommunityKind = z.enum(COMMUNITY_KINDS);
export type CommunityKind = z.infer<typeof CommunityKind>;
export const COMMUNITY_ROLES = ["member", "editor", "admin"] as const;
export const CommunityRole = z.enum(COMMUNITY_ROLES);
export type CommunityRole = z.infer<typeof CommunityRole>;

export const CommunitySummary = z.object({
  id: CommunityId,
  slug: Slug,
  name: z.string(),
  kind: CommunityKind,
  parentId: CommunityId.nullable(),
  /** The caller's role, or null when they are not a member. */
  myRole: CommunityRole.nullable(),
});
export type CommunitySummary = z.infer<typeof CommunitySummary>;

export const CommunityMember = z.object({ userId: UserId, name: z.string(), role: CommunityRole });
export type CommunityMember = z.infer<typeof CommunityMember>;

/** A public event that belongs to a community, as its page lists it. */
export const CommunityEvent = z.object({
  slug: Slug,
  title: z.string(),
  /** ISO instants. */
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
});
export type CommunityEvent = z.infer<typeof CommunityEvent>;

export const CommunityDetail = CommunitySummary.extend({
  description: z.string(),
  /** From the root down to the parent. */
  ancestors: z.array(CommunitySummary),
  children: z.array(CommunitySummary),
  memberCount: z.number().int().nonnegative(),
  /** Only for members of the community; empty otherwise. */
  members: z.array(CommunityMember),
  /** Its public events: the coming ones first (soonest first), then past ones (latest first). */
  events: z.array(CommunityEvent),
});
export type CommunityDetail = z.infer<typeof CommunityDetail>;

export const CommunityListResponse = z.object({
  communities: z.array(CommunitySummary),
  /** Whether the caller may start a community at the top of the tree (platform operators). */
  canCreateTopLevel: z.boolean(),
});
export type CommunityListResponse = z.infer<typeof CommunityListResponse>;
export const CommunityResponse = z.object({ community: CommunityDetail });
export type CommunityResponse = z.infer<typeof CommunityResponse>;

export const CreateCommunityBody = z.strictObject({
  slug: Slug,
  name: z.string().trim().min(1).max(120),
  kind: CommunityKind,
  description: z.string().max(4_000).optional(),
  /** Creating a child needs the admin role in the parent; a top-level one, a platform operator. */
  parentId: CommunityId.nullable().optional(),
});
export type CreateCommunityBody = z.infer<typeof CreateCommunityBody>;

export const CommunitySlugParams = z.strictObject({ slug: Slug });
export const CommunityMemberParams = z.strictObject({ slug: Slug, userId: UserId });
export const AddCommunityMemberBody = z.strictObject({ email: Email, role: CommunityRole });
export type AddCommunityMemberBody = z.infer<typeof AddCommunityMemberBody>;
export const CommunityMemberResponse = z.object({ member: CommunityMember });
/** An admin changes a member's role (the community keeps at least one admin). */
export const UpdateCommunityMemberBody = z.strictObject({ role: CommunityRole });
export type UpdateCommunityMemberBody = z.infer<typeof UpdateCommunityMemberBody>;

/** An organizer ties an event to a community (or unties it with null). */
export const EventCommunityBody = z.strictObject({ communityId: CommunityId.nullable() });
export type EventCommunityBody = z.infer<typeof EventCommunityBody>;
export const EventCommunityResponse = z.object({ community: CommunitySummary.nullable() });

// ---- items ----

export const ITEM_KINDS = ["act", "practice", "resource", "session_outcome"] as const;
export const ItemKind = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKind>;
export const ITEM_STATUSES = ["draft", "published", "withdrawn"] as const;
export const ItemStatus = z.enum(ITEM_STATUSES);
export type ItemStatus = z.infer<typeof ItemStatus>;
/**
 * Horizontal sharing: the item's own community, its siblings (same parent) too, or everyone. A
 * top-level community has no siblings: the server refuses "siblings" for its items.
 */
export const ITEM_AUDIENCES = ["community", "siblings", "everyone"] as const;
export const ItemAudience = z.enum(ITEM_AUDIENCES);
export type ItemAudience = z.infer<typeof ItemAudience>;

export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(LIBRARY_LIMITS.tagMaxLength)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, "letters, digits, spaces, dashes");
const Tags = z
  .array(Tag)
  .max(LIBRARY_LIMITS.maxTags)
  .transform((tags) => [...new Set(tags)]);
const ItemTitle = z.string().trim().min(1).max(LIBRARY_LIMITS.titleMaxLength);
const Territory = z.string().trim().max(LIBRARY_LIMITS.territoryMaxLength);

export const CreateItemBody = z.strictObject({
  communityId: CommunityId,
  kind: ItemKind,
  title: ItemTitle,
  summary: z.string().max(LIBRARY_LIMITS.summaryMaxLength).default(""),
  body: z.string().max(LIBRARY_LIMITS.bodyMaxLength).default(""),
  tags: Tags.default([]),
  territory: Territory.nullable().default(null),
  language: Locale.default("it"),
  status: z.enum(["draft", "published"]).default("draft"),
  audience: ItemAudience.default("community"),
});
export type CreateItemBody = z.input<typeof CreateItemBody>;

/** An edit: every field optional, at least one given; a change of text makes a new version. */
export const UpdateItemBody = z
  .strictObject({
    kind: ItemKind.optional(),
    title: ItemTitle.optional(),
    summary: z.string().max(LIBRARY_LIMITS.summaryMaxLength).optional(),
    body: z.string().max(LIBRARY_LIMITS.bodyMaxLength).optional(),
    tags: Tags.optional(),
    territory: Territory.nullable().optional(),
    language: Locale.optional(),
    status: ItemStatus.optional(),
    audience: ItemAudience.optional(),
  })
  // An empty edit would change nothing but the item's date: a client bug, said as such.
  .refine((edit) => Object.keys(edit).length > 0, { message: "Name at least one field to change" });
export type UpdateItemBody = z.input<typeof UpdateItemBody>;

export const CommunityRef = z.object({ id: CommunityId, slug: Slug, name: z.string() });
export type CommunityRef = z.infer<typeof CommunityRef>;
export const PersonRef = z.object({ id: UserId, name: z.string() });

export const LibraryItemSummary = z.object({
  id: LibraryItemId,
  kind: ItemKind,
  title: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  territory: z.string().nullable(),
  language: Locale,
  status: ItemStatus,
  audience: ItemAudience,
  community: CommunityRef,
  author: PersonRef.nullable(),
  adaptedFromId: LibraryItemId.nullable(),
  version: z.number().int().positive(),
  usefulCount: z.number().int().nonnegative(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type LibraryItemSummary = z.infer<typeof LibraryItemSummary>;

/** A related item the caller may see (where one came from, who adapted it). */
export const RelatedItem = z.object({
  id: LibraryItemId,
  title: z.string(),
  community: CommunityRef,
  status: ItemStatus,
});
export type RelatedItem = z.infer<typeof RelatedItem>;

/**
 * One adaptation in the tree below an item: `parentId` is the item it is shown under (the page's
 * item for a direct adaptation; for a copy of a copy, its nearest origin the caller may see) and
 * `depth` its level below the page's item (1 = adapted from it directly).
 */
export const AdaptationNode = RelatedItem.extend({
  parentId: LibraryItemId,
  depth: z.number().int().positive(),
});
export type AdaptationNode = z.infer<typeof AdaptationNode>;

export const ItemComment = z.object({
  id: ItemCommentId,
  author: PersonRef.nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type ItemComment = z.infer<typeof ItemComment>;

export const ItemAttachment = z.object({
  id: AttachmentId,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().positive(),
  url: z.string(),
});
export type ItemAttachment = z.infer<typeof ItemAttachment>;

export const LibraryItemDetail = LibraryItemSummary.extend({
  body: z.string(),
  /** The body rendered from Markdown and sanitized. */
  bodyHtml: z.string(),
  sourceBoardId: BoardId.nullable(),
  /** The chain of origins, nearest first, as far as the caller may see. */
  origins: z.array(RelatedItem),
  /**
   * The adaptations below this item the caller may see, copies of copies included, in tree order
   * (each right after the one it is shown under, siblings by community name), at most
   * `LIBRARY_LIMITS.adaptationsShownMax`.
   */
  adaptations: z.array(AdaptationNode),
  /** Adaptations below this item the caller may not see (drafts, other communities' own items). */
  hiddenAdaptations: z.number().int().nonnegative(),
  /** Whether the tree below goes on past what is listed (too many, or too deep). */
  adaptationsTruncated: z.boolean(),
  attachments: z.array(ItemAttachment),
  comments: z.array(ItemComment),
  usefulByMe: z.boolean(),
  canEdit: z.boolean(),
  /** Whether the caller may remove anyone's comment (editors and admins of the item's community). */
  canModerateComments: z.boolean(),
  /** Whether the caller may send it down (an editor of its community, which has descendants). */
  canSendDown: z.boolean(),
});
export type LibraryItemDetail = z.infer<typeof LibraryItemDetail>;

export const LibraryItemResponse = z.object({ item: LibraryItemDetail });
export type LibraryItemResponse = z.infer<typeof LibraryItemResponse>;
export const ItemParams = z.strictObject({ itemId: LibraryItemId });

export const ItemVersion = z.object({
  version: z.number().int().positive(),
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  territory: z.string().nullable(),
  editedBy: PersonRef.nullable(),
  createdAt: z.string(),
});
export type ItemVersion = z.infer<typeof ItemVersion>;
export const ItemVersionsResponse = z.object({ versions: z.array(ItemVersion) });
export type ItemVersionsResponse = z.infer<typeof ItemVersionsResponse>;

// ---- search ----

const DateOnly = z.iso.date();
const firstOf = (v: unknown) => (Array.isArray(v) ? (v as unknown[])[0] : v);

export const LibrarySearchQuery = z.strictObject({
  q: z.string().trim().max(LIBRARY_LIMITS.queryMaxLength).optional(),
  kind: ItemKind.optional(),
  tag: Tag.optional(),
  territory: z.string().trim().min(1).max(LIBRARY_LIMITS.territoryMaxLength).optional(),
  /** A community by slug. */
  community: Slug.optional(),
  /** Published (or, for drafts one may see, last changed) on or after / before these days. */
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  /** Only the caller's own drafts and their communities' items in any status. */
  mine: z.preprocess(firstOf, z.enum(["true", "false"]).optional()),
  sort: z.enum(["relevance", "date"]).default("relevance"),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(LIBRARY_LIMITS.pageSizeMax).default(20),
});
export type LibrarySearchQuery = z.input<typeof LibrarySearchQuery>;

export const LibrarySearchHit = LibraryItemSummary.extend({
  /** A short extract around the matched words, with `<mark>` around them (HTML-escaped otherwise). */
  snippet: z.string().nullable(),
});
export type LibrarySearchHit = z.infer<typeof LibrarySearchHit>;

export const LibrarySearchResponse = z.object({
  items: z.array(LibrarySearchHit),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type LibrarySearchResponse = z.infer<typeof LibrarySearchResponse>;

// ---- vertical sharing ----

export const DELIVERY_STATUSES = ["received", "adopted", "declined"] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
export const OUTCOMES = ["tabled", "approved", "rejected"] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** Send an item down to every descendant, or to the chosen ones (each must be a descendant). */
export const SendDownBody = z.strictObject({
  target: z.union([z.literal("all"), z.array(CommunityId).min(1).max(5_000)]),
  note: z.string().trim().max(LIBRARY_LIMITS.noteMaxLength).default(""),
});
export type SendDownBody = z.input<typeof SendDownBody>;

export const TallyRow = z.object({
  deliveryId: DeliveryId,
  community: CommunityRef,
  status: DeliveryStatus,
  /** The receiver's copy once it is published (the sending side may open it then); null before. */
  adoptedItemId: LibraryItemId.nullable(),
  /** The status of the receiver's copy, if it adopted one: a draft is still being adapted. */
  copyStatus: ItemStatus.nullable(),
  outcome: Outcome.nullable(),
  outcomeOn: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  updatedAt: z.string(),
});
export type TallyRow = z.infer<typeof TallyRow>;

/** What became of an item sent down, per receiving community, with totals. */
export const LibraryTally = z.object({
  itemId: LibraryItemId,
  rows: z.array(TallyRow),
  counts: z.object({
    received: z.number().int().nonnegative(),
    adopted: z.number().int().nonnegative(),
    declined: z.number().int().nonnegative(),
    outcomes: z.number().int().nonnegative(),
  }),
});
export type LibraryTally = z.infer<typeof LibraryTally>;
export const TallyResponse = z.object({ tally: LibraryTally });
export type TallyResponse = z.infer<typeof TallyResponse>;

/** Descendants the caller may send this item to (for the picker). */
export const DescendantsResponse = z.object({
  communities: z.array(CommunitySummary.extend({ depth: z.number().int().positive() })),
});
export type DescendantsResponse = z.infer<typeof DescendantsResponse>;

export const InboxEntry = z.object({
  id: DeliveryId,
  item: RelatedItem.extend({ kind: ItemKind, summary: z.string() }),
  from: CommunityRef,
  note: z.string(),
  status: DeliveryStatus,
  adoptedItemId: LibraryItemId.nullable(),
  outcome: Outcome.nullable(),
  outcomeOn: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  createdAt: z.string(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;
export const InboxResponse = z.object({ entries: z.array(InboxEntry) });
export type InboxResponse = z.infer<typeof InboxResponse>;
export const DeliveryParams = z.strictObject({ deliveryId: DeliveryId });
export const DeliveryResponse = z.object({ entry: InboxEntry });

export const OutcomeBody = z.strictObject({
  outcome: Outcome,
  on: DateOnly,
  note: z.string().trim().max(LIBRARY_LIMITS.noteMaxLength).default(""),
});
export type OutcomeBody = z.input<typeof OutcomeBody>;

// ---- from live work ----

/** Publish a board's ranked results as a session outcome (into the event's community, or the one named). */
export const PublishBoardBody = z.strictObject({
  communityId: CommunityId.optional(),
  title: ItemTitle.optional(),
  audience: ItemAudience.default("community"),
  language: Locale.optional(),
  tags: Tags.default([]),
});
export type PublishBoardBody = z.input<typeof PublishBoardBody>;

export const PromoteIdeaBody = z.strictObject({
  communityId: CommunityId.optional(),
  kind: z.enum(["act", "practice", "resource"]).default("practice"),
});
export type PromoteIdeaBody = z.input<typeof PromoteIdeaBody>;
export const BoardIdeaParams = z.strictObject({ boardId: BoardId, ideaId: IdeaId });

// ---- feedback and follows ----

export const CommentBody = z.strictObject({
  body: z.string().trim().min(1).max(LIBRARY_LIMITS.commentMaxLength),
});
export const CommentResponse = z.object({ comment: ItemComment });
/** A comment of an item: its author or an editor of the item's community may remove it. */
export const ItemCommentParams = z.strictObject({ itemId: LibraryItemId, commentId: ItemCommentId });
export const UsefulResponse = z.object({
  usefulCount: z.number().int().nonnegative(),
  usefulByMe: z.boolean(),
});

export const FOLLOW_KINDS = ["tag", "community"] as const;
export const Follow = z.object({
  kind: z.enum(FOLLOW_KINDS),
  /** A tag, or a community id. */
  target: z
    .string()
    .min(1)
    .max(LIBRARY_LIMITS.tagMaxLength + 40),
  label: z.string(),
});
export type Follow = z.infer<typeof Follow>;
export const FollowBody = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("tag"), target: Tag }),
  z.strictObject({ kind: z.literal("community"), target: CommunityId }),
]);
export type FollowBody = z.input<typeof FollowBody>;
export const FollowsResponse = z.object({ follows: z.array(Follow) });
export type FollowsResponse = z.infer<typeof FollowsResponse>;

export const AttachmentParams = z.strictObject({ itemId: LibraryItemId, attachmentId: AttachmentId });
export const AttachmentQuery = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\0]+$/, "a file name, no path"),
});
export const AttachmentResponse = z.object({ attachment: ItemAttachment });

// ---- weekly digest ----

/** The weekly digest for the week ending at `weekEnd` (a Monday, YYYY-MM-DD, 00:00 UTC). */
export const LibraryDigestJob = z.strictObject({ weekEnd: DateOnly });
export type LibraryDigestJob = z.infer<typeof LibraryDigestJob>;

// ---- live ----

/** The library's socket events the server emits (on top of `LiveServerToClient`). */
export interface LibraryServerToClient {
  /** The tally of an item the receiver sent down changed (absolute values: a repeat is harmless). */
  "library:tally": (payload: LibraryTally) => void;
}
