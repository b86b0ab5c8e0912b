import { fetchFile } from "../api/client";
import { tokenHeaders } from "./deviceRegistrations";

/** Hands a downloaded file to the browser's save flow. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the object URL after the click returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a registration's calendar file (the event and the sessions with a seat). */
export async function downloadCalendar(registrationId: string, token: string | undefined, slug: string) {
  const file = await fetchFile("getRegistrationCalendar", {
    params: { registrationId },
    headers: tokenHeaders(token),
  });
  saveFile(file.blob, file.filename ?? `${slug}.ics`);
}
