import { Stepper } from '@mantine/core';
import type { ReactNode } from 'react';

const steps = ['Type', 'Upload', 'Map fields', 'Review', 'Run', 'Log'] as const;

/** The steps of a data job, type → upload → map fields → review → run → log, above the current one. */
export function WizardStepper({ active, children }: { readonly active: number; readonly children: ReactNode }) {
  return (
    <>
      <Stepper active={active} size="sm" allowNextStepsSelect={false} mb="xl" aria-label="Steps of the job">
        {steps.map((label) => (
          <Stepper.Step key={label} label={label} />
        ))}
      </Stepper>
      {children}
    </>
  );
}
