// The board's socket events: the edge of the command path. Every payload is parsed with its
// protocol schema before anything else, then rate-limited per participant, then authorized by
// event role (and, on a breakout table's board, by the seat: access.ts); every handler is wrapped
// so a hostile or broken message gets `{ok:false, code}` (or nothing, when it brought no ack
// function) and never an exception. A socket that keeps sending refused messages is disconnected.
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import {
  BoardCommand,
  BoardErrorCode,
  BoardJoin,
  BoardLeave,
  ErrorCode,
  type BoardAck,
  type BoardAckCode,
  type BoardRole,
} from "@convivio/protocol";
import type { LiveServer } from "../live/socket.js";
import {
  boardAccessOf,
  boardRoleIn,
  findBoard,
  participantOf,
  type BoardAccess,
  type BoardRow,
} from "./access.js";
import type { BoardCommands } from "./commands.js";
import type { BoardHub, LiveSocket } from "./hub.js";
import type { TokenBuckets } from "./rateLimiter.js";
import { isStorable } from "../http/storable.js";

/** How long a socket trusts a board role it looked up before a command asks again. */
export const ROLE_TTL_MS = 60_000;
export const MAX_BOARDS_PER_SOCKET = 8;
/** Refused messages (invalid or rate-limited) a socket may send per window before it is cut off. */
export const STRIKE_LIMIT = 100;
const STRIKE_WINDOW_MS = 10_000;
const MAX_CACHED_ROLES = 64;

export interface BoardSocketDeps {
  db: Db;
  hub: BoardHub;
  commands: BoardCommands;
  limiter: TokenBuckets;
  logger: Logger;
  now?: () => number;
  /** Called once per acknowledged command (metrics); `code` is set when it was refused. */
  observe?: (event: string, seconds: number, code?: string) => void;
}

type Reply = (ack: BoardAck) => void;
type Handler = (payload: unknown, reply: Reply) => Promise<void>;

export function attachBoardSockets(io: LiveServer, deps: BoardSocketDeps): void {
  const { db, hub, commands, limiter, logger } = deps;
  const now = deps.now ?? Date.now;

  io.on("connection", (socket: LiveSocket) => {
    const participantId = participantOf(socket.data.actor.user);
    const roles = new Map<string, { board: BoardRow; role: BoardRole; until: number }>();
    let strikes = 0;
    let strikesSince = now();

    const strike = () => {
      const at = now();
      if (at - strikesSince > STRIKE_WINDOW_MS) {
        strikes = 0;
        strikesSince = at;
      }
      if (++strikes > STRIKE_LIMIT) {
        logger.warn({ userId: participantId }, "socket flooding refused messages; disconnected");
        socket.disconnect(true);
      }
    };

    const refuse = (reply: Reply, code: BoardAckCode) => {
      if (code === ErrorCode.validationFailed || code === ErrorCode.rateLimited) strike();
      reply({ ok: false, code });
    };

    // The board and the event role are cached for a while; a table board's seat is asked on every
    // command (access.ts answers at once for other boards), as a move or a new round changes it.
    const accessOn = async (
      boardId: string,
      fresh: boolean,
    ): Promise<BoardAccess | "not_found" | "forbidden"> => {
      const cached = roles.get(boardId);
      const valid = !fresh && cached && cached.until > now() ? cached : undefined;
      // A fresh look reads the board and the person's event roles in one round trip.
      const found = valid ? undefined : await findBoard(db, boardId, participantId);
      const board = valid?.board ?? found;
      if (!board) return ErrorCode.notFound;
      const role =
        valid?.role ??
        (await boardRoleIn(
          db,
          { id: board.eventId, visibility: board.eventVisibility },
          participantId,
          found?.roles,
        ));
      const access = role ? await boardAccessOf(db, board, participantId, role) : null;
      if (!role || !access) {
        roles.delete(boardId);
        return ErrorCode.forbidden;
      }
      if (!valid) {
        if (roles.size >= MAX_CACHED_ROLES) roles.clear();
        roles.set(boardId, { board, role, until: now() + ROLE_TTL_MS });
      }
      return access;
    };

    // One connection's messages are handled one after another, in the order they arrived: a
    // facilitator's "pause" then "resume" (or "start voting" then "5 min") must not commit the other
    // way round because the first one waited longer for the database.
    let inOrder: Promise<void> = Promise.resolve();

    // Rate limits are taken as a message arrives, not when its turn comes: a flood is refused at
    // once instead of queueing behind the connection's earlier commands (and refilling meanwhile).
    const listen = (event: string, handler: Handler, options: { limited: boolean }) => {
      // Raw listener: a hostile client may send any arguments, or none, with or without an ack.
      (socket as unknown as { on(event: string, fn: (...args: unknown[]) => void): void }).on(
        event,
        (...args: unknown[]) => {
          const last = args.at(-1);
          const ack = typeof last === "function" ? (last as (reply: BoardAck) => void) : undefined;
          const payload = ack && args.length === 1 ? undefined : args[0];
          const started = performance.now();
          let answered = false;
          const reply: Reply = (answer) => {
            if (answered || !ack) return;
            answered = true;
            deps.observe?.(event, (performance.now() - started) / 1000, answer.ok ? undefined : answer.code);
            try {
              ack(answer);
            } catch (err) {
              logger.warn({ err, event }, "board ack failed");
            }
          };
          if (options.limited && !limiter.take(participantId)) return refuse(reply, ErrorCode.rateLimited);
          inOrder = inOrder.then(() =>
            handler(payload, reply).catch((err: unknown) => {
              logger.error({ err, event, userId: participantId }, "board socket handler failed");
              reply({ ok: false, code: ErrorCode.internal });
            }),
          );
        },
      );
    };

    listen(
      "board:join",
      async (payload, reply) => {
        const parsed = BoardJoin.safeParse(payload);
        if (!parsed.success) return refuse(reply, ErrorCode.validationFailed);
        const { boardId, lastSeq } = parsed.data;
        if (!hub.isOn(socket, boardId) && hub.boardsOf(socket) >= MAX_BOARDS_PER_SOCKET) {
          return refuse(reply, BoardErrorCode.limitReached);
        }
        // A join always looks the role up again, so a changed role takes effect on the next join.
        // Read-only access (a closed table's board, for those who sat there) may join and look.
        const access = await accessOn(boardId, true);
        if (access === ErrorCode.notFound || access === ErrorCode.forbidden) return refuse(reply, access);
        await hub.join(socket, { boardId, role: access.role, participantId, lastSeq }, reply);
      },
      { limited: true },
    );

    listen(
      "board:leave",
      async (payload) => {
        const parsed = BoardLeave.safeParse(payload);
        if (!parsed.success) return strike();
        hub.leave(socket, parsed.data.boardId);
      },
      { limited: false },
    );

    listen(
      "board:command",
      async (payload, reply) => {
        const parsed = BoardCommand.safeParse(payload);
        if (!parsed.success || !isStorable(parsed.data)) return refuse(reply, ErrorCode.validationFailed);
        const access = await accessOn(parsed.data.boardId, false);
        if (access === ErrorCode.notFound || access === ErrorCode.forbidden) return refuse(reply, access);
        if (access.readOnly) return refuse(reply, ErrorCode.forbidden);
        reply(await commands.run(parsed.data, { participantId, role: access.role }));
      },
      { limited: true },
    );

    socket.on("disconnect", () => hub.leaveAll(socket));
  });
}
