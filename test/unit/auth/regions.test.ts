import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { defaultEndpoint, defaultIamEndpoint } from '../../../src/api/client';
import { classifyEndpoint, isTrustedByDefault } from '../../../src/auth/endpointTrust';
import { KNOWN_REGIONS, isRegionId, regionChoices } from '../../../src/auth/regions';
import { englishL10n } from '../../../src/common/translate';

describe('regions', () => {
  it('lists the 22 regions the official SDKs map a ModelArts endpoint for, each once', () => {
    assert.equal(KNOWN_REGIONS.length, 22);
    assert.equal(new Set(KNOWN_REGIONS).size, 22);
    for (const region of ['cn-north-4', 'ap-southeast-1', 'cn-north-11', 'sa-brazil-1', 'af-north-1']) assert.ok(KNOWN_REGIONS.includes(region), region);
  });

  it('puts the configured region first, without repeating it', () => {
    const choices = regionChoices('cn-east-3');
    assert.equal(choices[0], 'cn-east-3');
    assert.equal(choices.filter((r) => r === 'cn-east-3').length, 1);
    assert.equal(choices.length, 22);
  });

  it('offers a configured region the SDK list does not know, first; ignores a malformed one', () => {
    assert.deepEqual(regionChoices('eu-west-101').slice(0, 2), ['eu-west-101', 'cn-north-1']);
    assert.equal(regionChoices('eu-west-101').length, 23);
    assert.deepEqual(regionChoices('not a region'), [...KNOWN_REGIONS]);
    assert.deepEqual(regionChoices(undefined), [...KNOWN_REGIONS]);
  });

  it('recognises region ids by shape', () => {
    for (const ok of [...KNOWN_REGIONS, 'my-kualalumpur-1', 'eu-west-0', 'ru-moscow-1']) assert.ok(isRegionId(ok), ok);
    for (const bad of ['', 'cn', 'cn-north', 'CN-NORTH-4', 'cn-north-4 ', 'cn_north_4', 'cn-north-4/x', 'https://cn-north-4']) assert.ok(!isRegionId(bad), bad);
  });

  it('every known region has default endpoints that need no confirmation', () => {
    for (const region of KNOWN_REGIONS) {
      for (const endpoint of [defaultEndpoint(region), defaultIamEndpoint(region)]) {
        assert.ok(isTrustedByDefault(classifyEndpoint(endpoint, englishL10n)), endpoint);
      }
    }
  });
});
