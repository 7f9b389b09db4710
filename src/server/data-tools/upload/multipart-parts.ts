/**
 * The parts of a multipart upload as the upload service reads them. Whatever the multipart parser
 * (busboy) throws — no boundary, a malformed part header, a body that ends before its closing
 * boundary, a connection dropped half-way — is the client's doing: it becomes `400 bad_request`
 * here, where it is raised, so the upload service cleans up and nothing is logged as our error.
 */
import { finished, PassThrough, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { UploadPart } from './upload.service.js';

export async function* multipartParts(request: FastifyRequest): AsyncGenerator<UploadPart> {
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file')
        yield { kind: 'file', name: part.fieldname, fileName: part.filename, stream: clientStream(part.file) };
      else yield { kind: 'field', name: part.fieldname, value: String(part.value ?? '') };
    }
  } catch (error) {
    throw asClientError(error);
  }
}

/** The file's bytes; a parser error on the way arrives as the client's error. */
function clientStream(source: Readable): Readable {
  const out = new PassThrough();
  // The reader of `out` gets the error through its own listener; this one only keeps an error
  // that arrives after the reader has stopped listening (the upload already failed or ended)
  // from becoming an uncaught exception that would end the process.
  out.on('error', () => undefined);
  source.pipe(out);
  // finished() also reports a part that closes without ending (the body stopped mid-file)
  finished(source, (error) => {
    if (error) out.destroy(asClientError(error));
  });
  return out;
}

/** @fastify/multipart's own limit errors (FST_…) keep their codes; the error catalogue maps them. */
function asClientError(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof AppError || (error instanceof Error && typeof code === 'string' && code.startsWith('FST_')))
    return error;
  return new AppError('bad_request', 'The upload is malformed or was cut short. Send the whole file again.');
}
