/**
 * Colours with at least 4.5:1 contrast on white for the landing page's small print: Mantine's
 * "dimmed" grey is about 3.3:1, too light for text that matters on a phone in daylight.
 */
export const smallPrint = 'gray.7';

export const inputStyles = { description: { color: 'var(--mantine-color-gray-7)' } } as const;

/** Filled buttons and links: white on indigo.8 is 5.7:1 (the theme's indigo.6 is 4.3:1, under AA). */
export const actionColor = 'indigo.8';
