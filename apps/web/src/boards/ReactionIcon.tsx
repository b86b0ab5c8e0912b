import type { BoardReaction } from "@convivio/protocol";

// Drawn rather than emoji: emoji fonts are missing on some systems, and these match the page.
const PATHS: Record<BoardReaction, string> = {
  thumbsUp:
    "M7 10.5V20H4.5a1 1 0 0 1-1-1v-7.5a1 1 0 0 1 1-1H7Zm0 0 3.6-6.3a1.6 1.6 0 0 1 2.9 1.1l-.6 3.7h5.3a2 2 0 0 1 2 2.4l-1.3 6.5A2 2 0 0 1 17 19.5H7",
  heart: "M12 19.5s-7.5-4.5-7.5-10A4.1 4.1 0 0 1 12 7.2a4.1 4.1 0 0 1 7.5 2.3c0 5.5-7.5 10-7.5 10Z",
  lightbulb:
    "M9.5 17.5h5M10.5 20.5h3M12 3.5a5.8 5.8 0 0 0-3.4 10.5c.6.5.9 1.1.9 1.9v.1h5v-.1c0-.8.3-1.4.9-1.9A5.8 5.8 0 0 0 12 3.5Z",
  question:
    "M12 20.5a8.5 8.5 0 1 0 0-17 8.5 8.5 0 0 0 0 17ZM9.6 9.4a2.5 2.5 0 1 1 3.4 2.4c-.6.3-1 .8-1 1.5v.6M12 16.6v.1",
  celebrate:
    "M4 20.5 8.6 9l6.4 6.4L4 20.5ZM13 3.5v2.2M18.5 9H21M16.8 5.7l1.8-1.8M14 9.8c1.2-1.4 2.8-1.6 4.2-.6",
};

export function ReactionIcon({ reaction }: { reaction: BoardReaction }) {
  return (
    <svg
      className={`reaction-icon reaction-icon-${reaction}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[reaction]} />
    </svg>
  );
}
