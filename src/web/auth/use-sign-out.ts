/** Sign out: end the session on the server, forget everything cached, go to /sign-in. */
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { okSchema } from '../../shared/api';
import { api, meQueryKey } from '../api/client';

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api<z.output<typeof okSchema>>('/api/auth/logout', { method: 'POST', body: {} }),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
      navigate('/sign-in', { replace: true });
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: 'Could not sign out', message: error.message });
    },
  });
}
