import { TEST_ZONE_OFFSET } from '../helpers/fixedTimeZone';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatEvent } from '../../../src/watch/eventsFollower';
import { timeOfDay } from '../../../src/commands/notebooks/notebookLogic';
import { formatLocalTime, formatServiceTime, localEventLine, localOffsetMinutes, zoneLabel } from '../../../src/common/time';

// Every time shown is local: these tests run in a fixed zone (UTC+05:30, see helpers/fixedTimeZone) and
// with injected offsets, so they pass wherever the machine is.

const AT = Date.UTC(2026, 11, 7, 1, 30, 5); // 2026-12-07 01:30:05 UTC

describe('local times', () => {
  it('the computer zone is the fixed test zone', () => {
    assert.equal(localOffsetMinutes(AT), TEST_ZONE_OFFSET);
  });

  it('formats in the computer zone, with seconds, the time of day only, or the zone on request', () => {
    assert.equal(formatLocalTime(AT), '2026-12-07 07:00');
    assert.equal(formatLocalTime(AT, { seconds: true }), '2026-12-07 07:00:05');
    assert.equal(formatLocalTime(AT, { zone: true }), '2026-12-07 07:00 (UTC+05:30)');
    assert.equal(formatLocalTime(AT, { seconds: true, timeOnly: true }), '07:00:05');
    assert.equal(timeOfDay(AT), '07:00:05', 'the notebook output prefix is the same local time');
  });

  it('formats at any offset: east, west, UTC, across midnight and a year end', () => {
    assert.equal(formatLocalTime(AT, { offsetMinutes: 480, zone: true }), '2026-12-07 09:30 (UTC+08:00)');
    assert.equal(formatLocalTime(AT, { offsetMinutes: -210, zone: true }), '2026-12-06 22:00 (UTC-03:30)');
    assert.equal(formatLocalTime(AT, { offsetMinutes: 0, zone: true }), '2026-12-07 01:30 (UTC)');
    assert.equal(formatLocalTime(Date.UTC(2026, 11, 31, 20), { offsetMinutes: 300 }), '2027-01-01 01:00');
    assert.equal(zoneLabel(-600), 'UTC-10:00');
    assert.equal(zoneLabel(345), 'UTC+05:45');
  });

  it('reads what the service sends: ms epochs and ISO times with an offset; keeps what does not parse', () => {
    assert.equal(formatServiceTime('2022-06-17T17:08:16.910190+08:00', { zone: true }), '2022-06-17 14:38 (UTC+05:30)');
    assert.equal(formatServiceTime('2022-11-26T16:01:36+08:00', { seconds: true, offsetMinutes: 60 }), '2022-11-26 09:01:36');
    assert.equal(formatServiceTime(AT), '2026-12-07 07:00');
    assert.equal(formatServiceTime('yesterday'), 'yesterday');
    for (const none of [undefined, '', 0, -5, Number.NaN]) assert.equal(formatServiceTime(none), undefined, String(none));
  });

  it('a training event line shows its time (ISO, +08:00) in local time; the rest as the service wrote it', () => {
    const event = { time: '2022-11-26T16:01:36+08:00', level: 'Info', source: 'Job', message: 'Training job is running.' };
    assert.equal(formatEvent(event), '2022-11-26 13:31:36  Info  Job  Training job is running.');
    assert.equal(formatEvent(event, 0), '2022-11-26 08:01:36  Info  Job  Training job is running.');
    assert.equal(formatEvent({ ...event, time: 'soon' }), 'soon  Info  Job  Training job is running.');
  });

  it('a workflow event string (China time, no offset) gets its stamp in local time; anything else is kept', () => {
    const line = '2022-06-17 17:08:17 step model_step change status from init to creating';
    assert.equal(localEventLine(line), '2022-06-17 14:38:17 step model_step change status from init to creating');
    assert.equal(localEventLine(line, { offsetMinutes: 0 }), '2022-06-17 09:08:17 step model_step change status from init to creating');
    assert.equal(localEventLine(line, { offsetMinutes: 480 }), line, 'in China time it reads as sent');
    assert.equal(localEventLine('2022-06-17 03:00:00 change status from init to creating', { offsetMinutes: -300 }), '2022-06-16 14:00:00 change status from init to creating');
    for (const kept of ['no time here', '2022-13-40 99:08:17 step x', '2022-06-17 17:08 step x', '2022-06-17 17:08:17step x', '']) assert.equal(localEventLine(kept), kept, kept);
  });
});
