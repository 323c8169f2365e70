// The timeline of a job: its phases as coloured segments on one time axis (first phase start to `now`), the
// events as markers under it, and the events again as a list, newest first, with their time and text.

import type { TimelineEvent, TimelineMessage } from '../protocol';
import { el, percentOf } from './dom';
import { viewText, type ViewStringTable } from './strings';

/** Events listed at most; the markers show them all. */
export const LISTED_EVENTS = 500;

const clock = (time: number): string => new Date(time).toLocaleString();
// Any finite number passes the protocol's check; Date cannot write every one as ISO text.
const iso = (time: number): string => (Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : '');

export function renderTimeline(host: HTMLElement, message: TimelineMessage, strings: ViewStringTable): void {
  const t = (key: string, ...args: (string | number)[]): string => viewText(strings, key, ...args);
  const starts = [...message.phases.map((phase) => phase.from), ...message.events.map((event) => event.time)];
  if (starts.length === 0) {
    host.replaceChildren(el('p', { className: 'dash-note', text: t('No phases or events yet.') }));
    return;
  }
  const from = message.phases.length > 0 ? Math.min(...message.phases.map((phase) => phase.from)) : Math.min(...starts);
  const to = Math.max(message.now, from + 1);

  const phases = el('ol', { className: 'timeline-phases', attrs: { 'aria-label': t('Phases') } });
  for (const phase of message.phases) {
    const end = phase.to ?? message.now;
    const segment = el('li', { className: `phase tone-${phase.tone}`, text: phase.label, attrs: { title: `${phase.label}: ${clock(phase.from)} – ${clock(end)}` } });
    const left = percentOf(phase.from, from, to);
    segment.style.left = `${left}%`;
    segment.style.width = `${Math.max(0.5, percentOf(end, from, to) - left)}%`;
    phases.append(segment);
  }

  // Markers are decoration for sighted users; the list below says the same in text.
  const markers = el('div', { className: 'timeline-markers', attrs: { 'aria-hidden': 'true' } });
  for (const event of message.events) {
    const marker = el('span', { className: `marker level-${event.level}`, attrs: { title: `${clock(event.time)} ${event.text}` } });
    marker.style.left = `${percentOf(event.time, from, to)}%`;
    markers.append(marker);
  }

  const axis = el('div', { className: 'timeline-axis' }, el('span', { text: clock(from) }), el('span', { text: clock(to) }));
  const children: Node[] = [phases, markers, axis, eventList(message.events, t)];
  host.replaceChildren(...children);
}

function eventList(events: readonly TimelineEvent[], t: (key: string, ...args: (string | number)[]) => string): HTMLElement {
  const wrapper = el('div', { className: 'timeline-events' }, el('h3', { text: t('Events') }));
  if (events.length === 0) {
    wrapper.append(el('p', { className: 'dash-note', text: t('No events yet.') }));
    return wrapper;
  }
  const newestFirst = [...events].sort((a, b) => b.time - a.time).slice(0, LISTED_EVENTS);
  const level = (event: TimelineEvent): string => (event.level === 'error' ? t('Error') : event.level === 'warning' ? t('Warning') : t('Info'));
  const list = el(
    'ol',
    { className: 'event-list' },
    ...newestFirst.map((event) =>
      el(
        'li',
        { className: `event level-${event.level}` },
        el('time', { text: clock(event.time), attrs: { datetime: iso(event.time) } }),
        el('span', { className: 'event-level', text: level(event) }),
        el('span', { className: 'event-text', text: event.text }),
      ),
    ),
  );
  if (events.length > newestFirst.length) wrapper.append(el('p', { className: 'dash-note', text: t('Showing the newest {0} of {1} events.', newestFirst.length, events.length) }));
  wrapper.append(list);
  return wrapper;
}
