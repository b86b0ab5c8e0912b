// The names of the board's authors: fetched over REST (GET /api/boards/{boardId}/people), which
// names only the authors of this person's own view, so an anonymous author never reaches the page.
// Fetched again when the live view shows an author the page cannot name yet.
import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import type { BoardId, BoardView, ParticipantId } from "@convivio/protocol";
import { call } from "../api/client";
import { authorIdsOf, needsPeople } from "./model";

interface People {
  names: ReadonlyMap<ParticipantId, string>;
  /** The authors in the view when the fetch started: the answer covers every one of them. */
  asked: ReadonlySet<ParticipantId>;
}

const NO_NAMES: ReadonlyMap<ParticipantId, string> = new Map();

/** The display names of the authors in `view`, by participant id (a name may still be loading). */
export function usePeople(boardId: BoardId, view: BoardView): ReadonlyMap<ParticipantId, string> {
  const people = useQuery({
    queryKey: ["board", boardId, "people"],
    // A refetch runs the latest options, so this reads the view as it is when the fetch starts.
    queryFn: async ({ signal }): Promise<People> => {
      const asked = new Set(authorIdsOf(view));
      const answer = await call("getBoardPeople", { params: { boardId }, signal });
      return { names: new Map(answer.people.map((person) => [person.id, person.name])), asked };
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const { data, isFetching, isSuccess, refetch } = people;
  const stale = isSuccess && !isFetching && needsPeople(view, data.names, data.asked);
  useEffect(() => {
    if (stale) void refetch();
  }, [stale, refetch]);
  return data?.names ?? NO_NAMES;
}
