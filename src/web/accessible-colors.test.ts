import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { accessibleColors, contrastRatio, minContrast } from './accessible-colors';

describe('accessible colours', () => {
  it('computes the WCAG ratio (Mantine grey 6 on white is the 3.3:1 axe reported)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
  });

  it.each(Object.keys(accessibleColors))('%s: text shades reach 4.5:1 on white and on the grey page', (name) => {
    const shades = accessibleColors[name];
    for (const i of [6, 7, 8, 9]) {
      expect(contrastRatio(shades[i], '#ffffff')).toBeGreaterThanOrEqual(minContrast);
      expect(contrastRatio(shades[i], '#f8f9fa')).toBeGreaterThanOrEqual(minContrast);
    }
    // light badges and alerts: shade 9 text on shade 1 (and shade 2 on hover)
    expect(contrastRatio(shades[9], shades[1])).toBeGreaterThanOrEqual(minContrast);
    expect(contrastRatio(shades[9], shades[2])).toBeGreaterThanOrEqual(minContrast);
    // backgrounds and borders keep Mantine's shades
    expect(shades.slice(0, 6)).toEqual(DEFAULT_THEME.colors[name].slice(0, 6));
  });

  it('changes a shade only as much as it must: grey 9 already passes', () => {
    expect(accessibleColors.gray[9]).toBe(DEFAULT_THEME.colors.gray[9]);
  });
});
