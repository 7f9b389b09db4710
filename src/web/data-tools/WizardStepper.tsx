import { Stepper } from '@mantine/core';
import type { ReactNode } from 'react';

const steps = [
  { label: 'Type', description: 'What to do' },
  { label: 'Upload', description: 'The CSV file' },
  { label: 'Map fields', description: 'Which column is what' },
  { label: 'Review', description: 'Check before running' },
  { label: 'Run', description: 'In the background' },
  { label: 'Log', description: 'What happened' },
] as const;

/** The steps of a data job, type → upload → map fields → review → run → log, above the current one. */
export function WizardStepper({ active, children }: { readonly active: number; readonly children: ReactNode }) {
  return (
    <>
      <Stepper active={active} size="sm" allowNextStepsSelect={false} mb="xl" aria-label="Steps of the job">
        {steps.map((step) => (
          <Stepper.Step key={step.label} label={step.label} description={step.description} />
        ))}
      </Stepper>
      {children}
    </>
  );
}
