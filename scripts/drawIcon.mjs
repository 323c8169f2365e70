// Draws media/icon.png, the 128x128 marketplace icon: the activity-bar cube (media/modelarts.svg) in white on
// a blue-violet rounded square. Plain Node (zlib), so the icon can be redrawn without a graphics dependency:
// `node scripts/drawIcon.mjs`. Each pixel is sampled 4x4 times for smooth edges.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const RADIUS = 24;
const FROM = [0x1d, 0x4e, 0xd8]; // top left
const TO = [0x6d, 0x28, 0xd9]; // bottom right

// The cube of media/modelarts.svg (a 24-unit box), scaled about its centre.
const SCALE = 3.7;
const STROKE = 6;
const at = (x, y) => [64 + (x - 12) * SCALE, 64 + (y - 12) * SCALE];
const HEXAGON = [at(12, 2), at(21, 7), at(21, 17), at(12, 22), at(3, 17), at(3, 7), at(12, 2)];
const SPOKES = [
  [at(12, 12), at(12, 17.5)],
  [at(7.5, 9.5), at(12, 12)],
  [at(12, 12), at(16.5, 9.5)],
];
const segments = [...HEXAGON.slice(1).map((p, i) => [HEXAGON[i], p]), ...SPOKES];

function inRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), SIZE - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), SIZE - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

function distanceToSegment(x, y, [[ax, ay], [bx, by]]) {
  const dx = bx - ax;
  const dy = by - ay;
  const k = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + k * dx), y - (ay + k * dy));
}

const onCube = (x, y) => segments.some((s) => distanceToSegment(x, y, s) <= STROKE / 2) || Math.hypot(x - 64, y - 64) <= STROKE * 0.9;

function pixel(px, py) {
  let back = 0;
  let white = 0;
  for (let i = 0; i < SAMPLES; i++) {
    for (let j = 0; j < SAMPLES; j++) {
      const x = px + (i + 0.5) / SAMPLES;
      const y = py + (j + 0.5) / SAMPLES;
      if (!inRoundedSquare(x, y)) continue;
      back++;
      if (onCube(x, y)) white++;
    }
  }
  const n = SAMPLES * SAMPLES;
  const k = (px + py) / (2 * SIZE);
  const base = FROM.map((c, i) => c + (TO[i] - c) * k);
  const w = back === 0 ? 0 : white / back;
  return [...base.map((c) => Math.round(c + (255 - c) * w)), Math.round((255 * back) / n)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function drawIcon() {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0: none
    for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(row, 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const png = drawIcon();
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
