// One message tree per language, assembled from a file per feature so features can grow their
// own strings side by side. English is the reference shape (see i18next.d.ts).
import enBase from "./en.json";
import itBase from "./it.json";
import enRegistrations from "./registrations.en.json";
import enEvents from "./events.en.json";
import itEvents from "./events.it.json";
import itRegistrations from "./registrations.it.json";
import enBoard from "./board.en.json";
import itBoard from "./board.it.json";
import enSession from "./session.en.json";
import itSession from "./session.it.json";
import enBreakouts from "./breakouts.en.json";
import itBreakouts from "./breakouts.it.json";
import enLibrary from "./library.en.json";
import itLibrary from "./library.it.json";
import enAttendance from "./attendance.en.json";
import itAttendance from "./attendance.it.json";

export const en = {
  ...enBase,
  registrations: enRegistrations,
  events: enEvents,
  board: enBoard,
  session: enSession,
  breakouts: enBreakouts,
  library: enLibrary,
  attendance: enAttendance,
};
export const it = {
  ...itBase,
  registrations: itRegistrations,
  events: itEvents,
  board: itBoard,
  session: itSession,
  breakouts: itBreakouts,
  library: itLibrary,
  attendance: itAttendance,
};
