import type { XmlChild } from './xml';

// An OBS failure: the HTTP status, the documented `Code` and a message, answered as the XML error body (or,
// for HEAD, as x-obs-error-code / x-obs-error-message headers).

export class ObsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: readonly XmlChild[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const noSuchBucket = (bucket: string): ObsFailure => new ObsFailure(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
export const noSuchKey = (key: string): ObsFailure => new ObsFailure(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
export const noSuchUpload = (uploadId: string): ObsFailure =>
  new ObsFailure(404, 'NoSuchUpload', 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.', [['UploadId', uploadId]]);
export const malformedXml = (): ObsFailure => new ObsFailure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
export const methodNotAllowed = (): ObsFailure => new ObsFailure(405, 'MethodNotAllowed', 'Specified method is not supported.');
export const invalidArgument = (message: string, name?: string, value?: string): ObsFailure =>
  new ObsFailure(400, 'InvalidArgument', message, name === undefined ? [] : [['ArgumentName', name], ['ArgumentValue', value ?? '']]);
export const accessDenied = (message = 'Access Denied'): ObsFailure => new ObsFailure(403, 'AccessDenied', message);
