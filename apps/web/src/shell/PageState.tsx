import { useTranslation } from "react-i18next";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import { errorMessage } from "../ui/message";

/** The whole page is waiting for data. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div className="page-loading" role="status">
      <Spinner size="1.5rem" />
      <span>{t("common.loading")}</span>
    </div>
  );
}

/** The page's data could not be loaded: say why and offer to try again. */
export function PageLoadError({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: unknown;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const message = errorMessage(error);
  return (
    <div className="page-error" role="alert">
      <Alert tone="error" title={title}>
        <p>{t(message.key, message.values)}</p>
      </Alert>
      <Button variant="secondary" onClick={onRetry}>
        {t("common.retry")}
      </Button>
    </div>
  );
}
