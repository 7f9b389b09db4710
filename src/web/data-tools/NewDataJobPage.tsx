/** `/admin/data-tools/new`: the first two steps (type, upload); the job's own page takes over after. */
import { Anchor } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { DataJobType } from '../../shared/enums';
import { PageHeader } from '../ui/PageHeader';
import { dataJobKeys, type DataJob } from './data-jobs.api';
import { TypeStep } from './TypeStep';
import { UploadStep } from './UploadStep';
import { WizardStepper } from './WizardStepper';

export function NewDataJobPage() {
  const [type, setType] = useState<DataJobType | null>(null);
  const [step, setStep] = useState<0 | 1>(0);
  const navigate = useNavigate();
  const client = useQueryClient();

  const onUploaded = (job: DataJob) => {
    client.setQueryData(dataJobKeys.one(job.id), job);
    void client.invalidateQueries({ queryKey: dataJobKeys.list() });
    // the job now has an address: reloading or coming back continues at the mapping
    void navigate(`/admin/data-tools/${job.id}`, { replace: true });
  };

  return (
    <>
      <Anchor component={Link} to="/admin/data-tools" size="sm">
        ← Data Tools
      </Anchor>
      <PageHeader
        title="New Job"
        description="Nothing changes on your site until you have reviewed the dry run and pressed Start."
      />
      <WizardStepper active={step}>
        {step === 0 || !type ? (
          <TypeStep value={type} onChange={setType} onNext={() => setStep(1)} />
        ) : (
          <UploadStep type={type} onBack={() => setStep(0)} onUploaded={onUploaded} />
        )}
      </WizardStepper>
    </>
  );
}
