import type { User } from "@convivio/protocol";

/** The signed-in person behind a request or a socket. */
export interface Actor {
  user: User;
  sessionId: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor | null;
    }
  }
}
