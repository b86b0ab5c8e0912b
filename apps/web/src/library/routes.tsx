// The library's pages: search, items and communities are open to all (the server shows each person
// only what they may see); writing needs an account.
import type { RouteObject } from "react-router";

export const libraryRoutes: RouteObject[] = [
  { path: "library", lazy: async () => ({ Component: (await import("./LibraryHome")).LibraryHome }) },
  { path: "library/items/:itemId", lazy: async () => ({ Component: (await import("./ItemPage")).ItemPage }) },
  {
    path: "communities",
    lazy: async () => ({ Component: (await import("./CommunitiesPage")).CommunitiesPage }),
  },
  {
    path: "communities/:slug",
    lazy: async () => ({ Component: (await import("./CommunityPage")).CommunityPage }),
  },
];

export const librarySignedInRoutes: RouteObject[] = [
  { path: "library/new", lazy: async () => ({ Component: (await import("./ItemEditor")).NewItemPage }) },
  // The weekly digest links here to stop following.
  {
    path: "library/following",
    lazy: async () => ({ Component: (await import("./FollowingPage")).FollowingPage }),
  },
  {
    path: "library/items/:itemId/edit",
    lazy: async () => ({ Component: (await import("./ItemEditor")).EditItemPage }),
  },
];
