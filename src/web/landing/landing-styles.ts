/**
 * Colours with at least 4.5:1 contrast on white for the landing page's small print: Mantine's
 * "dimmed" grey is about 3.3:1, too light for text that matters on a phone in daylight.
 */
export const smallPrint = 'gray.7';

export const inputStyles = { description: { color: 'var(--mantine-color-gray-7)' } } as const;
