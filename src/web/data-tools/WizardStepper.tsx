import { Stepper } from '@mantine/core';
import type { ReactNode } from 'react';
import { StepHeading } from '../ui/StepHeading';

const steps = ['Type', 'Upload', 'Map fields', 'Review', 'Run', 'Log'] as const;
const runStep = 4;

/**
 * The steps of a data job, type → upload → map fields → review → run → log, above the current one.
 * A run that failed or was canceled is marked as such instead of with a check. The current step's
 * heading follows, and takes the focus when the step changes.
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
      {/* A new heading per step takes the focus (the first step's page starts at its own title). */}
      <StepHeading key={props.active} focus={props.active > 0}>
        {`Step ${Math.min(props.active, steps.length - 1) + 1} of ${steps.length}: ${steps[Math.min(props.active, steps.length - 1)]}`}
      </StepHeading>
      {props.children}
    </>
  );
}
