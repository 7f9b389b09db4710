/**
 * The Mantine theme: Mantine's defaults with Convene's brand colour, a calmer radius, and palettes
 * whose text shades meet WCAG 2.1 AA contrast (`accessible-colors.ts`).
 */
import { createTheme } from '@mantine/core';
import { accessibleColors } from './accessible-colors';

export const theme = createTheme({
  primaryColor: 'indigo',
  colors: accessibleColors,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Button: { defaultProps: { radius: 'md' } },
    Paper: { defaultProps: { radius: 'md' } },
    // A dialog's close button is an icon: give it a name for screen readers.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});
