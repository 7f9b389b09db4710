/** Convene's mark: two people meeting. Decorative; the word "Convene" is always next to it. */
export function LogoMark({ size = 28 }: { readonly size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--mantine-color-indigo-6)" />
      <circle cx="11" cy="12.5" r="4" fill="#fff" />
      <circle cx="21" cy="12.5" r="4" fill="#fff" opacity="0.85" />
      <path
        d="M4 26c1-5 4-7 7-7s6 2 7 7M14 26c1-5 4-7 7-7s6 2 7 7"
        fill="none"
        stroke="#fff"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
    </svg>
  );
}
