import { bucketLocation, createBucket, deleteBucket, headBucket, listBuckets, listObjects } from './buckets';
import type { ObsAnswer, ObsCall } from './call';
import { copyObject } from './copy';
import { ObsFailure, methodNotAllowed } from './errors';
import { abortUpload, completeUpload, initiateUpload, listParts, uploadPart } from './multipart';
import { MAX_KEY_BYTES, deleteObject, deleteObjects, getObject, keyTooLong, putObject } from './objects';
import type { StoredBucket } from './store';

// Which operation a request is: by the method, whether it names a bucket and a key, and its sub-resources.
// Anything else is 405 MethodNotAllowed (the emulator's subset of OBS).

/** Sub-resources that make a bucket-level request something the emulator does not implement. */
const UNSUPPORTED_BUCKET_SUBRESOURCES = ['acl', 'policy', 'cors', 'lifecycle', 'logging', 'website', 'versioning', 'versions', 'tagging', 'quota', 'storageinfo', 'notification', 'replication', 'encryption', 'uploads', 'storagePolicy', 'customdomain', 'inventory'];

/** The bucket, or 404 NoSuchBucket; a bucket reached through another region's endpoint: 301 PermanentRedirect. */
function bucketFor(call: ObsCall, name: string): StoredBucket {
  const bucket = call.store.bucket(name);
  const hostRegion = call.address.hostRegion;
  if (hostRegion !== undefined && hostRegion !== bucket.region) {
    const endpoint = `${name}.obs.${bucket.region}.myhuaweicloud.com`;
    throw new ObsFailure(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', [
      ['BucketName', name],
      ['Endpoint', endpoint],
    ], { Location: `http://${endpoint}` });
  }
  return bucket;
}

async function bucketLevel(call: ObsCall, name: string): Promise<ObsAnswer> {
  const { method, query } = call;
  if (UNSUPPORTED_BUCKET_SUBRESOURCES.some((sub) => query.has(sub))) throw methodNotAllowed();
  if (method === 'PUT') return createBucket(call, name);
  const bucket = bucketFor(call, name);
  if (method === 'GET') return query.has('location') ? bucketLocation(call, bucket) : listObjects(call, bucket);
  if (method === 'HEAD') return headBucket(bucket);
  if (method === 'DELETE') return deleteBucket(call, bucket);
  if (method === 'POST' && query.has('delete')) return deleteObjects(call, bucket);
  throw methodNotAllowed();
}

async function objectLevel(call: ObsCall, name: string, key: string): Promise<ObsAnswer> {
  const { method, query } = call;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw keyTooLong();
  const bucket = bucketFor(call, name);
  const uploadId = query.get('uploadId');
  const copySource = call.headers[`${call.headerPrefix}copy-source`];
  if (method === 'PUT' && typeof copySource === 'string') {
    // Copying into a part (UploadPartCopy) is not served.
    if (uploadId !== undefined) throw methodNotAllowed();
    return copyObject(call, bucket, key, copySource);
  }
  if (method === 'PUT') return uploadId === undefined ? putObject(call, bucket, key) : uploadPart(call, bucket, key, uploadId);
  if (method === 'GET') return uploadId === undefined ? getObject(call, bucket, key, true) : listParts(call, bucket, key, uploadId);
  if (method === 'HEAD') return getObject(call, bucket, key, false);
  if (method === 'DELETE') return uploadId === undefined ? deleteObject(call, bucket, key) : abortUpload(call, bucket, key, uploadId);
  if (method === 'POST' && query.has('uploads')) return initiateUpload(call, bucket, key);
  if (method === 'POST' && uploadId !== undefined) return completeUpload(call, bucket, key, uploadId);
  throw methodNotAllowed();
}

/** Runs the operation a request names. */
export function dispatch(call: ObsCall): Promise<ObsAnswer> | ObsAnswer {
  const { bucket, key } = call.address;
  if (bucket === undefined) {
    if (call.method === 'GET') return listBuckets(call);
    throw methodNotAllowed();
  }
  return key === undefined ? bucketLevel(call, bucket) : objectLevel(call, bucket, key);
}
