import { createdChannels } from '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createRedactor } from '../../../src/api/redact';
import { createExtensionLogger } from '../../../src/common/logger';

// The ModelArts log channel writes (and redacts) a line only at the levels the user's log level keeps.

describe('the ModelArts log channel', () => {
  it('skips lines below the channel level, writes the rest redacted, and follows a change of level', () => {
    const log = createExtensionLogger(createRedactor(['hunter22']));
    const channel = createdChannels[createdChannels.length - 1];
    const text = (): string => channel.text;
    channel.logLevel = 3; // Info
    log.debug('debug hunter22');
    log.info('info hunter22');
    assert.equal(text(), '[info] info ***\n');
    assert.equal(log.enabled?.('debug'), false);
    channel.logLevel = 2; // Debug: the same line is written now (positive control)
    log.debug('debug hunter22');
    assert.equal(text(), '[info] info ***\n[debug] debug ***\n');
    channel.logLevel = 0; // Off
    log.error('error');
    assert.equal(log.enabled?.('error'), false);
    assert.equal(text().includes('error'), false);
  });
});
