import { createBrowserRouter } from "react-router";
import { AccountPage } from "./account/AccountPage";
import { MagicLinkPage } from "./auth/MagicLinkPage";
import { RequireAuth } from "./auth/RequireAuth";
import { ResetPasswordConfirmPage } from "./auth/ResetPasswordConfirmPage";
import { ResetPasswordPage } from "./auth/ResetPasswordPage";
import { SignInPage } from "./auth/SignInPage";
import { SignUpPage } from "./auth/SignUpPage";
import { DashboardPage } from "./events/DashboardPage";
import { EventPage } from "./events/EventPage";
import { SessionDetailsPage } from "./events/SessionDetailsPage";
import { HomePage } from "./home/HomePage";
import { attendeeRoutes, organizerRoutes } from "./registrations/routes";
import { libraryRoutes, librarySignedInRoutes } from "./library/routes";
import { CrashPage } from "./shell/CrashPage";
import { Layout } from "./shell/Layout";
import { NotFoundPage } from "./shell/NotFoundPage";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "sign-up", element: <SignUpPage /> },
      { path: "sign-in", element: <SignInPage /> },
      { path: "auth/magic", element: <MagicLinkPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "reset-password/confirm", element: <ResetPasswordConfirmPage /> },
      { path: "e/:slug", element: <EventPage /> },
      { path: "e/:slug/s/:sessionId", element: <SessionDetailsPage /> },
      ...libraryRoutes,
      ...attendeeRoutes,
      {
        element: <RequireAuth />,
        children: [
          { path: "dashboard", element: <DashboardPage /> },
          { path: "account", element: <AccountPage /> },
          ...organizerRoutes,
          ...librarySignedInRoutes,
          {
            path: "e/:slug/boards/:boardId",
            lazy: async () => ({ Component: (await import("./boards/BoardPage")).BoardPage }),
          },
          {
            path: "e/:slug/live",
            lazy: async () => ({ Component: (await import("./session/LobbyPage")).LobbyPage }),
          },
          {
            path: "e/:slug/s/:sessionId/live",
            lazy: async () => ({ Component: (await import("./session/SessionPage")).SessionPage }),
          },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
