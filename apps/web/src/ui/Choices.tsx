import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "./message";

function FieldError({ id, error }: { id: string; error: Message }) {
  const { t } = useTranslation();
  return (
    <p className="field-error" id={id}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 8v5m0 3.5v.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z" />
      </svg>
      <span>{t(error.key, error.values)}</span>
    </p>
  );
}

interface CheckboxFieldProps {
  name: string;
  label: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  hint?: ReactNode;
  error?: Message | undefined;
  required?: boolean;
  disabled?: boolean;
}

/** One checkbox with its label on the right, an optional hint below and an error. */
export function CheckboxField({
  name,
  label,
  checked,
  onCheckedChange,
  hint,
  error,
  required,
  disabled,
}: CheckboxFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field check-field field-invalid" : "field check-field"}>
      <div className="check-row">
        <input
          id={id}
          type="checkbox"
          className="check"
          name={name}
          checked={checked}
          required={required}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => onCheckedChange(event.target.checked)}
        />
        <label htmlFor={id} className="check-label">
          {label}
        </label>
      </div>
      {hint ? (
        <p className="field-hint check-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <FieldError id={`${id}-error`} error={error} /> : null}
    </div>
  );
}

export interface ChoiceOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  lang?: string;
}

interface ChoiceGroupProps {
  name: string;
  legend: ReactNode;
  options: readonly ChoiceOption[];
  hint?: ReactNode;
  error?: Message | undefined;
  required?: boolean;
  /** Radios pick one value; checkboxes pick any number. */
  multiple?: boolean;
  value: readonly string[];
  onValueChange: (value: string[]) => void;
  /** Lays the options out in a row when they are short. */
  inline?: boolean;
}

/** Radios or checkboxes in a fieldset whose legend names the question. */
export function ChoiceGroup({
  name,
  legend,
  options,
  hint,
  error,
  required,
  multiple = false,
  value,
  onValueChange,
  inline = false,
}: ChoiceGroupProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  const toggle = (option: string, on: boolean) => {
    if (!multiple) return onValueChange([option]);
    onValueChange(on ? [...value.filter((v) => v !== option), option] : value.filter((v) => v !== option));
  };
  return (
    <fieldset
      className={error ? "field choice-group field-invalid" : "field choice-group"}
      aria-describedby={describedBy || undefined}
    >
      <legend className="field-label">{legend}</legend>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className={inline ? "choice-list is-inline" : "choice-list"}>
        {options.map((option, index) => {
          const optionId = `${id}-${index}`;
          return (
            <div key={option.value} className="check-row">
              <input
                id={optionId}
                type={multiple ? "checkbox" : "radio"}
                className="check"
                name={name}
                value={option.value}
                checked={value.includes(option.value)}
                required={!multiple && required}
                aria-invalid={error ? true : undefined}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              <label htmlFor={optionId} className="check-label" lang={option.lang}>
                {option.label}
                {option.hint ? <span className="check-option-hint">{option.hint}</span> : null}
              </label>
            </div>
          );
        })}
      </div>
      {error ? <FieldError id={`${id}-error`} error={error} /> : null}
    </fieldset>
  );
}
