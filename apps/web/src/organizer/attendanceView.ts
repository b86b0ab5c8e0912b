// What the attendance page shows, apart from React: which notice (video off, nothing yet), how a
// room is named, how minutes read. The reports come from LiveKit's webhooks, so without video
// there is nothing to show, and the page says why instead of showing empty tables.
import type { TFunction } from "i18next";
import type { AttendanceRoom } from "@convivio/protocol";

export type AttendanceNotice = "videoOff" | "videoOffEarlier" | "empty" | null;

/** The notice above the tables: video off (with or without what was recorded before), or nobody yet. */
export function attendanceNotice(videoConfigured: boolean, somebodyAttended: boolean): AttendanceNotice {
  if (!videoConfigured) return somebodyAttended ? "videoOffEarlier" : "videoOff";
  return somebodyAttended ? null : "empty";
}

/** "Plenary", "Table 3 · Mobility", "Table 1 (breakout 2)" when a session opened tables twice. */
export function roomLabel(t: TFunction, room: AttendanceRoom): string {
  if (room.kind === "plenary") return t("attendance.room.plenary");
  if (room.number === null) return t("attendance.room.removed");
  const name = room.topic
    ? t("attendance.room.tableWithTopic", { number: room.number, topic: room.topic })
    : t("attendance.room.table", { number: room.number });
  return room.breakout === null ? name : t("attendance.room.breakout", { room: name, number: room.breakout });
}

/** Whole minutes for a table cell; nothing (a dash) for no time at all. */
export function minutesText(minutes: number | undefined, format: Intl.NumberFormat): string | null {
  if (minutes === undefined || minutes <= 0) return null;
  // Under half a minute still shows that the person was there.
  return minutes < 0.5 ? "<1" : format.format(Math.round(minutes));
}
