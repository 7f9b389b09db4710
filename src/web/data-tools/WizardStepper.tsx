import { Stepper } from '@mantine/core';
import type { ReactNode } from 'react';

const steps = ['Type', 'Upload', 'Map fields', 'Review', 'Run', 'Log'] as const;
const runStep = 4;

/**
 * The steps of a data job, type → upload → map fields → review → run → log, above the current one.
 * A run that failed or was canceled is marked as such instead of with a check.
 */
export function WizardStepper(props: {
  readonly active: number;
  readonly runEnded?: 'failed' | 'canceled';
  readonly children: ReactNode;
}) {
  return (
    <>
      <Stepper active={props.active} size="sm" allowNextStepsSelect={false} mb="xl" aria-label="Steps of the job">
        {steps.map((label, index) => {
          const ended = index === runStep ? props.runEnded : undefined;
          return (
            <Stepper.Step
              key={label}
              label={label}
              description={ended === 'failed' ? 'Failed' : ended === 'canceled' ? 'Canceled' : undefined}
              color={ended === 'failed' ? 'red' : ended === 'canceled' ? 'orange' : undefined}
              completedIcon={ended ? (ended === 'failed' ? '!' : '–') : undefined}
            />
          );
        })}
      </Stepper>
      {props.children}
    </>
  );
}
