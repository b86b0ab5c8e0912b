// The breakout tables on the live session page: the facilitators' panel or, for everyone else,
// their table (or the tables to pick from), with toasts for warnings, broadcasts and countdowns.
import { useBreakoutClient, useBreakoutState } from "./useBreakouts";
import { AttendeeBreakouts } from "./AttendeeBreakouts";
import { FacilitatorBreakouts } from "./FacilitatorBreakouts";
import { Toasts } from "./Toasts";
import "../styles/breakouts.css";

export function BreakoutPanel({
  sessionId,
  slug,
  leads,
}: {
  sessionId: string;
  slug: string;
  leads: boolean;
}) {
  const client = useBreakoutClient(sessionId);
  const state = useBreakoutState(client);
  if (!client || !state) return null;
  return (
    <>
      {leads ? (
        <FacilitatorBreakouts client={client} state={state} sessionId={sessionId} slug={slug} />
      ) : (
        <AttendeeBreakouts client={client} state={state} sessionId={sessionId} slug={slug} />
      )}
      <Toasts client={client} toasts={state.toasts} run={state.state} />
    </>
  );
}
