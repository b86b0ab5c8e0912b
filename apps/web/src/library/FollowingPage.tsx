// What the signed-in person follows for the weekly digest, each with its own "stop following": the
// page the digest email links to, so leaving takes one click from the email.
import { useId } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { CommunityId, Follow } from "@convivio/protocol";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { useFollows, type FollowTarget } from "./FollowButton";
import "../styles/library.css";

const targetOf = (follow: Follow): FollowTarget =>
  follow.kind === "tag"
    ? { kind: "tag", target: follow.target }
    : { kind: "community", target: follow.target as CommunityId };

export function FollowingPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("library.following.title"));
  const headingId = useId();
  const { follows, toggle } = useFollows();
  if (follows.isPending) return <PageLoading />;
  if (follows.isError)
    return (
      <div className="container page">
        <PageLoadError
          title={t("library.following.title")}
          error={follows.error}
          onRetry={() => void follows.refetch()}
        />
      </div>
    );
  const list = follows.data.follows;
  return (
    <div className="container narrow page lib-page">
      <Link to="/library" className="back-link">
        ← {t("library.home.title")}
      </Link>
      <header className="page-header">
        <h1 id={headingId}>{t("library.following.title")}</h1>
        <p className="muted">{t("library.following.intro")}</p>
      </header>
      {toggle.isError ? <FormAlert message={errorMessage(toggle.error)} /> : null}
      {list.length === 0 ? (
        <p className="empty-state muted">{t("library.following.empty")}</p>
      ) : (
        <ul className="card lib-following" aria-labelledby={headingId}>
          {list.map((follow) => (
            <li key={`${follow.kind}:${follow.target}`} data-follow={follow.label}>
              <span className="pill">{t(`library.following.kind.${follow.kind}`)}</span>{" "}
              {follow.kind === "tag" ? (
                <Link to={`/library?tag=${encodeURIComponent(follow.target)}`}>#{follow.label}</Link>
              ) : (
                <span>{follow.label}</span>
              )}
              <Button
                variant="secondary"
                className="btn-small"
                busy={toggle.isPending && toggle.variables?.target.target === follow.target}
                aria-label={t("library.following.stopLabel", { name: follow.label })}
                onClick={() => toggle.mutate({ target: targetOf(follow), following: true })}
              >
                {t("library.following.stop")}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
