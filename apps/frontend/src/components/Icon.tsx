/** A stroked 24×24 line icon; it inherits the text colour and is hidden from assistive tech. */
export function Icon({
  d,
  size = 18,
  strokeWidth = 2,
}: {
  d: string;
  size?: number;
  strokeWidth?: number;
}) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth={strokeWidth}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
