// The emulator's OBS: its public face. serve.ts takes a request through the caller check, faults, signature
// (auth.ts) and routing (routes.ts) to the operations (buckets.ts, objects.ts, copy.ts, multipart.ts) on the in-memory
// store (store.ts); address.ts reads the bucket and key, body.ts the bodies, xml.ts writes and reads XML,
// seed.ts fills the demo's buckets.

export { DEFAULT_OBS_MAX_BYTES, ObsStore, type StoredBucket, type StoredObject } from './store';
export { OTHER_SEED_REGION, SEEDED_CODE_JOBS, seedObs, trainScript } from './seed';
export { MIN_PART_BYTES } from './multipart';
export { escapeXml } from './xml';
