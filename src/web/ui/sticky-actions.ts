/**
 * The style of a table's column of buttons: on a narrow screen, where the table scrolls sideways,
 * the column stays in view at the right edge, so a row's actions never need a sideways scroll.
 */
import type { CSSProperties } from 'react';

export const stickyActions: CSSProperties = {
  position: 'sticky',
  right: 0,
  zIndex: 1,
  background: 'var(--mantine-color-body)',
  boxShadow: '-8px 0 8px -8px rgba(0, 0, 0, 0.25)',
};
