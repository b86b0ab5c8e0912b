import { useId, useState, type ChangeEvent, type InputHTMLAttributes, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "./message";

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode | undefined;
  error?: Message | undefined;
  children: (described: { "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}

/** Label, control, hint and error, wired together so a screen reader reads them as one. */
export function FieldFrame({ id, label, hint, error, children }: FieldFrameProps) {
  const { t } = useTranslation();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(error ? { "aria-invalid": true as const } : {}),
      })}
      {error ? (
        <p className="field-error" id={errorId}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 8v5m0 3.5v.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z" />
          </svg>
          <span>{t(error.key, error.values)}</span>
        </p>
      ) : null}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "value"> & {
  name: string;
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  error?: Message | undefined;
};

export function TextField({ label, hint, error, onValueChange, ...input }: InputProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(described) => (
        <input
          className="input"
          type="text"
          {...input}
          {...described}
          id={id}
          onChange={(event: ChangeEvent<HTMLInputElement>) => onValueChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

/** A password input with a show/hide toggle, which helps more than a "repeat password" field. */
export function PasswordField({ label, hint, error, onValueChange, ...input }: InputProps) {
  const { t } = useTranslation();
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(described) => (
        <div className="input-group">
          <input
            className="input"
            {...input}
            {...described}
            id={id}
            type={visible ? "text" : "password"}
            autoCapitalize="off"
            spellCheck={false}
            onChange={(event: ChangeEvent<HTMLInputElement>) => onValueChange(event.target.value)}
          />
          <button
            type="button"
            className="input-addon"
            aria-pressed={visible}
            aria-controls={id}
            title={visible ? t("common.hidePassword") : t("common.showPassword")}
            onClick={() => setVisible((shown) => !shown)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12Z" />
              <circle cx="12" cy="12" r="3" />
              {visible ? <path d="M3 3l18 18" /> : null}
            </svg>
            <span className="visually-hidden">{t("common.showPassword")}</span>
          </button>
        </div>
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps {
  name: string;
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  options: readonly { value: string; label: string; lang?: string }[];
  hint?: ReactNode;
  error?: Message | undefined;
}

export function SelectField({ name, label, value, onValueChange, options, hint, error }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(described) => (
        <select
          className="input select"
          {...described}
          id={id}
          name={name}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value} lang={option.lang}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
