import { createdChannels, RecordingChannel } from '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { OutputStreams } from '../../../src/watch/streams';

// The output-panel registry: one channel per name, stopping aborts, and after deactivation disposed the
// channels an aborted follow's late closing line is dropped instead of reaching a disposed channel.

describe('OutputStreams', () => {
  it('[Q18] writes after dispose are dropped, not sent to the disposed channel (positive control: it would throw)', () => {
    const streams = new OutputStreams();
    const { stream, isNew } = streams.open('logs:job/worker-0', 'ModelArts Logs: job/worker-0');
    assert.equal(isNew, true);
    const channel = createdChannels[createdChannels.length - 1];
    stream.channel.appendLine('before');
    assert.equal(channel.text, 'before\n');

    streams.dispose();
    assert.equal(stream.signal.aborted, true, 'the stream is aborted');
    assert.equal(channel.disposed, true, 'the channel is disposed');
    // What a follow does when its abort lands after the dispose.
    assert.doesNotThrow(() => stream.channel.appendLine('[Stopped following]'));
    assert.equal(channel.text, 'before\n');

    // Without the guard the write reaches a disposed channel, which the workbench reports as an error.
    const bare = new RecordingChannel('bare');
    bare.dispose();
    assert.throws(() => bare.appendLine('late'), /disposed/);
  });

  it('one channel per name; a second open of a running stream returns it', () => {
    const streams = new OutputStreams();
    const before = createdChannels.length;
    const first = streams.open('events:a', 'ModelArts Events: a');
    const again = streams.open('events:a', 'ModelArts Events: a');
    assert.equal(again.isNew, false);
    assert.equal(again.stream, first.stream);
    assert.equal(streams.stop('events:a', 'closing'), true);
    const reopened = streams.open('events:a', 'ModelArts Events: a');
    assert.equal(reopened.isNew, true);
    assert.equal(createdChannels.length, before + 1, 'the channel is reused after a stop');
    assert.match(createdChannels[createdChannels.length - 1].text, /closing\n$/);
    streams.dispose();
  });

  it('a running stream carries what it follows; a key keeps its cursor after a stop, until dispose', () => {
    const streams = new OutputStreams();
    streams.open('logs:p:job-1/worker-0', 'ModelArts Logs: job/worker-0', { label: 'job/worker-0', resource: 'job-1', part: 'worker-0' });
    streams.open('events:x', 'ModelArts Events: x');
    assert.deepEqual(
      streams.following.map((s) => [s.key, s.followed]),
      [['logs:p:job-1/worker-0', { label: 'job/worker-0', resource: 'job-1', part: 'worker-0' }]],
    );
    streams.stop('logs:p:job-1/worker-0');
    assert.deepEqual(streams.following, [], 'a stopped stream is no longer listed');

    let made = 0;
    const create = (): { seen: number } => ({ seen: made++ });
    assert.equal(streams.hasCursor('events:x'), false);
    const cursor = streams.cursor('events:x', create);
    cursor.seen = 7;
    streams.stop('events:x');
    assert.equal(streams.hasCursor('events:x'), true);
    assert.equal(streams.cursor('events:x', create).seen, 7, 'following again resumes from the kept cursor');
    assert.equal(made, 1);
    streams.dispose();
    assert.equal(streams.hasCursor('events:x'), false);
  });
});
