/** The Convivio mark: a round table with seats around it. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="9" className="logo-bg" />
      <circle cx="16" cy="16" r="5.5" className="logo-table" />
      <g className="logo-seats">
        <circle cx="16" cy="6.5" r="2.4" />
        <circle cx="25.5" cy="16" r="2.4" />
        <circle cx="16" cy="25.5" r="2.4" />
        <circle cx="6.5" cy="16" r="2.4" />
        <circle cx="22.7" cy="9.3" r="1.7" />
        <circle cx="22.7" cy="22.7" r="1.7" />
        <circle cx="9.3" cy="22.7" r="1.7" />
        <circle cx="9.3" cy="9.3" r="1.7" />
      </g>
    </svg>
  );
}
