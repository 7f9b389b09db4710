import { Badge } from '@mantine/core';
import type { DataJobStatus } from '../../shared/enums';
import { statusWords } from './words';

/** A job's status in the admin's words, coloured by how it went. */
export function JobStatusBadge({ status }: { readonly status: DataJobStatus }) {
  const words = statusWords[status];
  return (
    <Badge
      component="span"
      color={words.color}
      variant={status === 'running' ? 'filled' : 'light'}
      radius="sm"
      style={{ flexShrink: 0, minWidth: 'max-content' }}
    >
      {words.label}
    </Badge>
  );
}
