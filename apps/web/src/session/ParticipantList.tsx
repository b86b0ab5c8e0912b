// Who is in the session now (every server node together), facilitators first.
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/session";
import { initialsOf } from "./liveStatus";
import { useLiveSession, useSessionState } from "./useSession";

export function ParticipantList({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const client = useLiveSession(sessionId);
  const session = useSessionState(client);
  const me = useMe().data;
  const people = session?.participants ?? [];
  return (
    <section className="people-panel" aria-label={t("session.people.title")}>
      {people.length === 0 ? (
        <p className="muted side-empty">{t("session.people.empty")}</p>
      ) : (
        <ul className="people-list">
          {people.map((person) => (
            <li key={person.userId} className="person">
              <span className="avatar" aria-hidden="true">
                {initialsOf(person.name)}
              </span>
              <span className="person-name">
                {person.name}
                {person.userId === me?.id ? <span className="muted"> {t("session.people.you")}</span> : null}
              </span>
              {person.role === "facilitator" ? (
                <span className="badge badge-role">{t("session.people.facilitator")}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
