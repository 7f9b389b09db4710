/**
 * Mantine's palettes darkened where text would fall short of WCAG 2.1 AA (4.5:1). Mantine writes
 * text in shades 6–9 (`c="green"` and links in the filled shade, `c="dimmed"` in gray 6, light
 * badges and alerts in shade 9 on shade 1) and puts white text on the filled shade; its default
 * shades give 3.3:1 for grey text, 4.3:1 for a primary button. Each shade 6–9 is darkened just enough
 * to reach 4.5:1 on the app's light grey background (and so under white text), and shade 9 also on
 * shade 1; the lighter shades (backgrounds, borders) stay as they are.
 */
import { DEFAULT_THEME, type MantineColorsTuple } from '@mantine/core';

/** The WCAG 2.1 AA minimum for normal-size text. */
export const minContrast = 4.5;

/** the page background of signed-in screens (gray 0): the lightest surface text sits on besides white */
const pageBackground = '#f8f9fa';

type Rgb = readonly [number, number, number];

function rgbOf(hex: string): Rgb {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `hex` mixed with black in small steps until it has `min` contrast with every one of `against`. */
function darkenUntil(hex: string, against: readonly string[], min = minContrast): string {
  const rgb = rgbOf(hex);
  for (let k = 0; k <= 100; k++) {
    const candidate = hexOf(rgb.map((c) => c * (1 - k / 100)) as unknown as Rgb);
    if (against.every((bg) => contrastRatio(candidate, bg) >= min)) return candidate;
  }
  return '#000000';
}

/** One palette with shades 6–9 made readable as text. */
export function accessiblePalette(shades: MantineColorsTuple): MantineColorsTuple {
  const out = [...shades];
  for (const i of [6, 7, 8, 9]) out[i] = darkenUntil(shades[i], ['#ffffff', pageBackground]);
  out[9] = darkenUntil(out[9], ['#ffffff', pageBackground, shades[1], shades[2]]);
  return out as unknown as MantineColorsTuple;
}

/** Every default Mantine palette except `dark` (the app has no dark scheme), made readable. */
export const accessibleColors: Record<string, MantineColorsTuple> = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors)
    .filter(([name]) => name !== 'dark')
    .map(([name, shades]) => [name, accessiblePalette(shades)]),
);
