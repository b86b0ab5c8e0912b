import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/session";
import { PublicEventList } from "../events/PublicEventList";
import { useDocumentTitle } from "../ui/useDocumentTitle";

const FEATURES = ["programme", "live", "board", "library"] as const;
const STEPS = ["publish", "meet", "keep"] as const;

// Simple line icons, one per feature; decorative, the headings carry the meaning.
const FEATURE_ICONS: Record<(typeof FEATURES)[number], string> = {
  programme:
    "M4 6h16M4 6v13a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1V6M4 6V5a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v1M8 2v4m8-4v4M8 11h3m-3 4h6",
  live: "M3 7a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7Zm13 3 5-3v10l-5-3",
  board: "M9 18h6m-5 3h4M12 3a6 6 0 0 0-3.5 10.9c.6.4 1 1.1 1 1.8V16h5v-.3c0-.7.4-1.4 1-1.8A6 6 0 0 0 12 3Z",
  library: "M4 19.5V5a2 2 0 0 1 2-2h13v16H6.5A2.5 2.5 0 0 0 4 21.5v-2Zm0 0A2.5 2.5 0 0 1 6.5 17H19M9 7h6",
};

const HERO_TABLES = [
  [62, 174],
  [160, 194],
  [258, 174],
] as const;
const SEAT_ANGLES_DEG = [0, 60, 120, 180, 240, 300];

function HeroIllustration() {
  // A plenary stage linked to round working tables: the shape of a co-design lab.
  return (
    <svg className="hero-art" viewBox="0 0 320 240" aria-hidden="true" focusable="false">
      <rect x="112" y="14" width="96" height="54" rx="12" className="art-stage" />
      <path d="M132 34h56M132 47h36" className="art-line" />
      <path
        d={`M160 68v28${HERO_TABLES.map(([cx, cy]) => `M160 96L${cx} ${cy - 22}`).join("")}`}
        className="art-link"
      />
      {HERO_TABLES.map(([cx, cy]) => (
        <g key={cx}>
          <circle cx={cx} cy={cy} r="22" className="art-table" />
          {SEAT_ANGLES_DEG.map((angle) => {
            const radians = (angle * Math.PI) / 180;
            return (
              <circle
                key={angle}
                cx={cx + Math.cos(radians) * 34}
                cy={cy + Math.sin(radians) * 34}
                r="6.5"
                className="art-seat"
              />
            );
          })}
        </g>
      ))}
    </svg>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  useDocumentTitle(t("home.title"));
  const signedIn = Boolean(me.data);

  return (
    <>
      <section className="hero">
        <div className="container hero-inner">
          <div className="hero-text">
            <p className="eyebrow">{t("home.eyebrow")}</p>
            <h1>{t("home.headline")}</h1>
            <p className="lede">{t("home.lede")}</p>
            <div className="actions">
              {signedIn ? (
                <Link to="/dashboard" className="btn btn-primary btn-large">
                  {t("home.ctaDashboard")}
                </Link>
              ) : (
                <>
                  <Link to="/sign-up" className="btn btn-primary btn-large">
                    {t("home.ctaSignUp")}
                  </Link>
                  <Link to="/sign-in" className="btn btn-secondary btn-large">
                    {t("home.ctaSignIn")}
                  </Link>
                </>
              )}
            </div>
            {signedIn ? null : <p className="hero-note">{t("home.attendeeNote")}</p>}
          </div>
          <HeroIllustration />
        </div>
      </section>

      <PublicEventList />

      <section className="section" aria-labelledby="features-title">
        <div className="container">
          <h2 id="features-title" className="section-title">
            {t("home.featuresTitle")}
          </h2>
          <ul className="feature-grid" role="list">
            {FEATURES.map((feature) => (
              <li key={feature} className="card feature">
                <svg className="feature-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d={FEATURE_ICONS[feature]} />
                </svg>
                <h3>{t(`home.features.${feature}.title`)}</h3>
                <p>{t(`home.features.${feature}.body`)}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>

      <section className="section section-alt" aria-labelledby="steps-title">
        <div className="container">
          <h2 id="steps-title" className="section-title">
            {t("home.stepsTitle")}
          </h2>
          <ol className="steps">
            {STEPS.map((step) => (
              <li key={step} className="step">
                <h3>{t(`home.steps.${step}.title`)}</h3>
                <p>{t(`home.steps.${step}.body`)}</p>
              </li>
            ))}
          </ol>
        </div>
      </section>

      <section className="section" aria-labelledby="open-source-title">
        <div className="container">
          <div className="card callout">
            <div>
              <h2 id="open-source-title">{t("home.openSourceTitle")}</h2>
              <p>{t("home.openSourceBody")}</p>
            </div>
            {signedIn ? null : (
              <Link to="/sign-up" className="btn btn-primary">
                {t("home.ctaSignUp")}
              </Link>
            )}
          </div>
        </div>
      </section>
    </>
  );
}
