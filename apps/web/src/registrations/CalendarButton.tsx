import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { downloadCalendar } from "./download";

/** Downloads the registration's .ics file (the event and the sessions with a seat). */
export function CalendarButton({
  registrationId,
  token,
  slug,
  label,
  small = false,
}: {
  registrationId: string;
  token: string | undefined;
  slug: string;
  /** Visible words; defaults to "Add to calendar (.ics)". */
  label?: string;
  small?: boolean;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const onClick = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadCalendar(registrationId, token, slug);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant="secondary"
        className={small ? "btn-small" : undefined}
        busy={busy}
        busyLabel={t("registrations.manage.calendarBusy")}
        onClick={() => void onClick()}
      >
        <svg className="btn-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 6h16v14H4zM4 10h16M8 3v4m8-4v4M12 13v5m-2.5-2.5L12 18l2.5-2.5" />
        </svg>
        {label ?? t("registrations.manage.calendar")}
      </Button>
      <FormAlert message={error} />
    </>
  );
}
