import { GatewayError, type FileContentPart } from '@portcullis/core';
import type { ConverseContentBlock, ConverseDocumentFormat } from './converse-types';

/** What Converse accepts as a document, by the media type a data: URL declares. */
const DOCUMENT_FORMATS: Record<string, ConverseDocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

const S3_EXTENSIONS = new Set<string>(Object.values(DOCUMENT_FORMATS));

/**
 * Names documents for one Converse request. Converse takes letters, digits, single spaces,
 * hyphens, parentheses and square brackets only, and refuses a request in which two documents
 * share a name, across the whole conversation it replays ("Messages can't contain duplicate
 * document names"). AWS warns the name reaches the model (a prompt-injection path), so the
 * client's filename is reduced to those characters, never passed through; an untitled document
 * is `document`, and a name already taken gets `-2`, `-3`, ... (compared case-insensitively).
 */
export class DocumentNamer {
  private readonly taken = new Set<string>();

  name(filename: string | undefined): string {
    const stem = (filename ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
    const cleaned = stem
      .replace(/[^A-Za-z0-9\s\-()[\]]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100)
      .trim();
    const base = cleaned.length > 0 ? cleaned : 'document';
    let candidate = base;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/**
 * OpenAI `file` content part -> Converse document block: inline base64 data: URLs of the types
 * Converse reads, or s3:// URLs (Bedrock never fetches other URLs). OpenAI Files API ids
 * (`file_id`) live in OpenAI's storage, which Bedrock cannot reach: a clear 400.
 */
export function documentBlock(file: FileContentPart['file'], param: string, names: DocumentNamer): ConverseContentBlock {
  const data = file.file_data;
  if (data === undefined) {
    throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', {
      param,
      message: 'Bedrock cannot read OpenAI file ids; send the file inline as a base64 data: URL in file.file_data.',
    });
  }
  if (data.startsWith('s3://')) {
    const ext = /\.([A-Za-z]+)$/.exec(data)?.[1]?.toLowerCase();
    if (!ext || !S3_EXTENSIONS.has(ext))
      throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param, message: `S3 document URLs must end in one of: ${[...S3_EXTENSIONS].map((e) => `.${e}`).join(', ')}.` });
    return { document: { format: ext as ConverseDocumentFormat, name: names.name(file.filename), source: { s3Location: { uri: data } } } };
  }
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(data);
  if (!match) throw new GatewayError('GW_ERR_REQUEST_INVALID', { param, message: 'file.file_data must be a base64 data: URL (data:application/pdf;base64,...).' });
  const format = DOCUMENT_FORMATS[match[1]!.toLowerCase()];
  if (!format)
    throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', {
      param,
      message: `Bedrock does not accept documents of type ${match[1]}; it reads ${Object.keys(DOCUMENT_FORMATS).join(', ')}.`,
    });
  return { document: { format, name: names.name(file.filename), source: { bytes: match[2]! } } };
}
