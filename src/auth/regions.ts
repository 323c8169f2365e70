// The regions offered at sign-in: those the official SDKs map a ModelArts endpoint for (their ModelArts region lists).

export const KNOWN_REGIONS: readonly string[] = [
  'cn-north-1',
  'cn-north-4',
  'cn-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'cn-east-3',
  'cn-east-4',
  'la-south-2',
  'af-south-1',
  'cn-north-9',
  'tr-west-1',
  'ap-southeast-4',
  'me-east-1',
  'cn-southwest-2',
  'cn-north-2',
  'sa-brazil-1',
  'la-north-2',
  'af-north-1',
  'cn-north-12',
  'cn-southwest-3',
  'cn-north-11',
];

const REGION_ID = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,3}$/;

/** `cn-north-4`, `ap-southeast-1`, `my-kualalumpur-1`: the shape of a Huawei Cloud region id. */
export function isRegionId(value: string): boolean {
  return REGION_ID.test(value);
}

/** The regions to pick from, the configured one first (even when the SDK list does not know it). */
export function regionChoices(current: string | undefined): string[] {
  const first = current && isRegionId(current) ? [current] : [];
  return [...first, ...KNOWN_REGIONS.filter((region) => region !== current)];
}
