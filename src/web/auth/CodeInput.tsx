import { TextInput } from '@mantine/core';
import type { CSSProperties } from 'react';

const codeStyle = { letterSpacing: '0.5em', fontVariantNumeric: 'tabular-nums', textAlign: 'center' } as const;

interface CodeInputProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** extra input styles (the landing page's contrast); the code's own spacing is kept */
  readonly styles?: Partial<Record<'label' | 'description' | 'input', CSSProperties>>;
}

/** The 6-digit code field of sign-in and every landing page (one-time-code autofill on phones). */
export function CodeInput({ value, onChange, styles }: CodeInputProps) {
  return (
    <TextInput
      label="6-digit code"
      description="From the email we just sent"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      placeholder="000000"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      autoFocus
      size="lg"
      styles={{ ...styles, input: { ...styles?.input, ...codeStyle } }}
    />
  );
}
