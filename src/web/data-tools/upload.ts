/**
 * The upload of a job's file: multipart through XMLHttpRequest, because fetch cannot report how
 * much of a large file has been sent. The server parses the file as it arrives and answers with
 * the new job, or refuses the whole file (`csv_invalid` with the line).
 */
import type { DataJobType } from '../../shared/enums';
import { ApiError } from '../api/client';
import { base, type DataJob } from './data-jobs.api';

export interface UploadInput {
  readonly type: DataJobType;
  readonly hasHeader: boolean;
  /** the column separator, or auto to let the server detect it */
  readonly delimiter: DelimiterChoice;
  readonly file: File;
  /** fraction of the file sent, 0…1 */
  readonly onProgress?: (sent: number) => void;
}

export function uploadDataJob(input: UploadInput): Promise<DataJob> {
  const form = new FormData();
  // fields before the file: the server reads them before it streams the file
  form.append('type', input.type);
  form.append('hasHeader', String(input.hasHeader));
  form.append('delimiter', input.delimiter);
  form.append('file', input.file, input.file.name);

  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', base);
    request.responseType = 'json';
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) input.onProgress?.(event.loaded / event.total);
    };
    request.onerror = () =>
      reject(new ApiError(0, 'network_error', 'Convene could not be reached. Check your connection and try again.'));
    request.onload = () => {
      const payload = request.response as unknown;
      if (request.status >= 200 && request.status < 300) {
        resolve(payload as DataJob);
        return;
      }
      const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      reject(
        error?.code && error.message
          ? new ApiError(request.status, error.code as ApiError['code'], error.message, error.details)
          : new ApiError(request.status, 'unexpected_response', `The upload failed (HTTP ${request.status}).`),
      );
    };
    request.send(form);
  });
}

export type DelimiterChoice = 'auto' | 'comma' | 'semicolon' | 'tab';
