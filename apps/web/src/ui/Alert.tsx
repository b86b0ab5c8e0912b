import type { ReactNode } from "react";

type Tone = "error" | "success" | "info" | "warning";

const ICON_PATHS: Record<Tone, string> = {
  error:
    "M12 8v5m0 3.5v.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z",
  success: "M20 6 9 17l-5-5",
  info: "M12 16v-4m0-4h.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z",
  warning:
    "M12 8v5m0 3.5v.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z",
};

/** A coloured notice with an icon; the live region around it is the caller's choice. */
export function Alert({ tone, title, children }: { tone: Tone; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert-${tone}`}>
      <svg className="alert-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={ICON_PATHS[tone]} />
      </svg>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children}
      </div>
    </div>
  );
}
