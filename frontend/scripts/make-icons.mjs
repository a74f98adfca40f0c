// Generates the service's own favicon / touch icons and web app manifest.
//
// GOV.UK Frontend's favicon.ico, favicon.svg and govuk-icon-*.png are all the
// GOV.UK crown, which this service must not use (it is not a GOV.UK service),
// so we draw a neutral mark instead: a rising bar chart in white on GOV.UK
// brand blue. Pure Node (zlib only) so the build needs no image tools, and the
// output is byte-for-byte reproducible.
//
// Usage: node scripts/make-icons.mjs <assets-dir>
import { deflateSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node scripts/make-icons.mjs <assets-dir>");
  process.exit(2);
}
const imagesDir = join(outDir, "images");
mkdirSync(imagesDir, { recursive: true });

const BLUE = [0x1d, 0x70, 0xb8];
const WHITE = [0xff, 0xff, 0xff];

// Geometry on a 32x32 grid: three bars standing on a baseline.
// [x, y, width, height]
const BARS = [
  [6, 18, 5, 8],
  [13.5, 12, 5, 14],
  [21, 6, 5, 20],
];

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<path fill="#1d70b8" d="M0 0h32v32H0z"/>' +
  BARS.map(([x, y, w, h]) => `<path fill="#fff" d="M${x} ${y}h${w}v${h}h-${w}z"/>`).join("") +
  "</svg>\n";

// ---- PNG encoding -----------------------------------------------------------
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const scale = size / 32;
  // Supersample 4x4 per pixel for smooth bar edges.
  const SS = 4;
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let py = 0; py < size; py++) {
    const row = py * (1 + size * 4);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let cover = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const gx = (px + (sx + 0.5) / SS) / scale;
          const gy = (py + (sy + 0.5) / SS) / scale;
          if (BARS.some(([x, y, w, h]) => gx >= x && gx < x + w && gy >= y && gy < y + h)) cover++;
        }
      }
      const a = cover / (SS * SS);
      const o = row + 1 + px * 4;
      for (let i = 0; i < 3; i++) raw[o + i] = Math.round(BLUE[i] * (1 - a) + WHITE[i] * a);
      raw[o + 3] = 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
// ICO containing PNG images (supported by all current browsers).
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((img, i) => {
    const e = 6 + 16 * i;
    header[e] = sizes[i] >= 256 ? 0 : sizes[i];
    header[e + 1] = sizes[i] >= 256 ? 0 : sizes[i];
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(img.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += img.length;
  });
  return Buffer.concat([header, ...images]);
}

writeFileSync(join(imagesDir, "favicon.svg"), svg);
writeFileSync(join(imagesDir, "favicon.ico"), ico([16, 32, 48]));
writeFileSync(join(imagesDir, "apple-touch-icon.png"), png(180));
writeFileSync(join(imagesDir, "icon-192.png"), png(192));
writeFileSync(join(imagesDir, "icon-512.png"), png(512));

const manifest = {
  name: "Modern slavery action plan self-assessment",
  short_name: "MSAP self-assessment",
  icons: [
    { src: "images/favicon.ico", type: "image/x-icon", sizes: "16x16 32x32 48x48" },
    { src: "images/favicon.svg", type: "image/svg+xml", sizes: "any", purpose: "any" },
    { src: "images/apple-touch-icon.png", type: "image/png", sizes: "180x180", purpose: "any" },
    { src: "images/icon-192.png", type: "image/png", sizes: "192x192", purpose: "any" },
    { src: "images/icon-512.png", type: "image/png", sizes: "512x512", purpose: "any" },
  ],
};
writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
