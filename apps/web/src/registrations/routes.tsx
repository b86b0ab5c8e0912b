// The pages of issue 3, handed to the router as two lists: the attendee's (no account needed)
// and the organizer's (behind sign-in).
import type { RouteObject } from "react-router";
import { AttendancePage } from "../organizer/AttendancePage";
import { EventDetailsPage } from "../organizer/EventDetailsPage";
import { ManageLayout } from "../organizer/ManageLayout";
import { NewEventPage } from "../organizer/NewEventPage";
import { RegistrationSettingsPage } from "../organizer/RegistrationSettingsPage";
import { RegistrationsPage } from "../organizer/RegistrationsPage";
import { SchedulePage } from "../organizer/SchedulePage";
import { TeamPage } from "../organizer/TeamPage";
import { CancelPage } from "./CancelPage";
import { MyRegistrationsPage } from "./MyRegistrationsPage";
import { RegistrationPage } from "./RegistrationPage";

/** My registrations, one registration (the emails' "manage" link) and its cancel link. */
export const attendeeRoutes: RouteObject[] = [
  { path: "registrations", element: <MyRegistrationsPage /> },
  { path: "registrations/:registrationId", element: <RegistrationPage /> },
  { path: "registrations/:registrationId/cancel", element: <CancelPage /> },
];

/** A new event, and the console of one event with a tab per part. */
export const organizerRoutes: RouteObject[] = [
  { path: "events/new", element: <NewEventPage /> },
  {
    path: "manage/:slug",
    element: <ManageLayout />,
    children: [
      { index: true, element: <EventDetailsPage /> },
      { path: "schedule", element: <SchedulePage /> },
      { path: "team", element: <TeamPage /> },
      { path: "registration", element: <RegistrationSettingsPage /> },
      { path: "people", element: <RegistrationsPage /> },
      { path: "attendance", element: <AttendancePage /> },
    ],
  },
];
