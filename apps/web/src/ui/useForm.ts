import { useId, useState } from "react";
import { isApiError, type ClientErrorCode } from "../api/client";
import { errorMessage, type Message } from "./message";

export type FieldErrors<F extends string> = Partial<Record<F, Message>>;

/**
 * State for one form: values, errors next to fields and an alert above them. Showing errors
 * moves focus to the first invalid field, whose error is read out through aria-describedby.
 */
export function useForm<F extends string>(initial: Record<F, string>) {
  // The form is found by id when needed (after a submit), which keeps refs out of render.
  const formId = useId();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [alert, setAlert] = useState<Message | null>(null);
  const names = Object.keys(initial) as F[];

  const focusFirst = (invalid: FieldErrors<F>) => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    const first = Array.from(form.elements).find(
      (element): element is HTMLInputElement =>
        element instanceof HTMLElement && "name" in element && (element.name as string) in invalid,
    );
    first?.focus();
  };

  const field = (name: F) => ({
    name,
    value: values[name],
    error: errors[name],
    onValueChange: (value: string) => {
      setValues((current) => ({ ...current, [name]: value }));
      // An error goes away as soon as the person starts fixing the field.
      setErrors((current) => {
        if (!current[name]) return current;
        const next = { ...current };
        delete next[name];
        return next;
      });
    },
  });

  /** Shows field errors (and a summary above the form, unless another alert is given). */
  const showErrors = (invalid: FieldErrors<F>, message?: Message) => {
    const count = Object.keys(invalid).length;
    setErrors(invalid);
    setAlert(message ?? (count > 0 ? { key: "validation.summary", values: { count } } : null));
    focusFirst(invalid);
  };

  /**
   * Shows a failed call: codes that belong to one field (email_taken -> email) go next to it,
   * validation issues go next to their fields, anything else goes in the alert.
   */
  const showFailure = (
    error: unknown,
    fieldOfCode: Partial<Record<ClientErrorCode, F>> = {},
    messageOfCode: Partial<Record<ClientErrorCode, Message>> = {},
  ) => {
    if (!isApiError(error)) return showErrors({}, errorMessage(error));
    const message = messageOfCode[error.code] ?? errorMessage(error);
    const owner = fieldOfCode[error.code];
    if (owner) return showErrors({ [owner]: message } as FieldErrors<F>, message);
    const fromIssues: FieldErrors<F> = {};
    for (const issue of error.issues) {
      const name = issue.path.split(".")[0] as F;
      if (names.includes(name)) fromIssues[name] = { key: "validation.invalid" };
    }
    if (Object.keys(fromIssues).length > 0) return showErrors(fromIssues);
    showErrors({}, message);
  };

  const clearErrors = () => {
    setErrors({});
    setAlert(null);
  };

  return {
    formProps: { id: formId },
    values,
    setValues,
    field,
    errors,
    alert,
    showErrors,
    showFailure,
    clearErrors,
  };
}
