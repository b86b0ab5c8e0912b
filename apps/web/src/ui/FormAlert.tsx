import { useTranslation } from "react-i18next";
import { Alert } from "./Alert";
import type { Message } from "./message";

/** The form's alert: an assertive live region that is always present, so changes are announced. */
export function FormAlert({ message }: { message: Message | null }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="form-alert">
      {message ? <Alert tone="error">{t(message.key, message.values)}</Alert> : null}
    </div>
  );
}
