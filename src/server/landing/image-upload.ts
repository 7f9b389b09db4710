/**
 * Reads a landing image upload (multipart fields `file` and `alt`) into memory: the file is at
 * most 2 MB and one byte (the multipart limit stops reading beyond it, and marks the file cut
 * short). Whatever the multipart parser throws on a malformed body is the client's error.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { LandingImageUpload } from './landing-image.service.js';

export async function readImageUpload(request: FastifyRequest): Promise<LandingImageUpload> {
  if (!request.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the image as multipart/form-data with the fields file and alt.');
  let bytes: Buffer | null = null;
  let truncated = false;
  let alt: string | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        if (part.fieldname !== 'file') continue;
        bytes = Buffer.concat(chunks);
        truncated = part.file.truncated;
      } else if (part.fieldname === 'alt') {
        alt = String(part.value ?? '');
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('image_too_large');
    if (typeof code === 'string' && code.startsWith('FST_')) throw error;
    throw new AppError('bad_request', 'The upload is malformed or was cut short. Send the image again.');
  }
  return { bytes, truncated, alt };
}
