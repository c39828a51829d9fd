// The text of a PDF written by pdfkit with an embedded (subset) font: content streams show glyph
// ids in hex, so they are mapped back to Unicode through the font's ToUnicode CMap.
import { inflateSync } from 'node:zlib';

function streams(pdf) {
  const out = [];
  const raw = pdf.toString('latin1');
  const re = /<<((?:(?!>>\s*stream)[\s\S])*)>>\s*stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const body = pdf.subarray(start, end);
    try {
      out.push(/\/FlateDecode/.test(m[1]) ? inflateSync(body).toString('latin1') : body.toString('latin1'));
    } catch {
      // Images and fonts that do not inflate carry no text.
    }
  }
  return out;
}

const hexToString = (hex) => {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return s;
};

function toUnicodeMap(cmaps) {
  const map = new Map();
  for (const cmap of cmaps) {
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, src, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
        map.set(Number.parseInt(src, 16), hexToString(dst));
      }
    }
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const [, lo, hi, dst] of block[1].matchAll(
        /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
      )) {
        const a = Number.parseInt(lo, 16);
        const b = Number.parseInt(hi, 16);
        if (dst.startsWith('[')) {
          const items = [...dst.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => hexToString(x[1]));
          for (let c = a; c <= b; c++) map.set(c, items[c - a] ?? '');
        } else {
          const base = Number.parseInt(dst.slice(1, -1), 16);
          for (let c = a; c <= b; c++) map.set(c, String.fromCodePoint(base + (c - a)));
        }
      }
    }
  }
  return map;
}

/** All text shown by the PDF's content streams, in drawing order, without separators. */
export function pdfText(pdf) {
  const all = streams(pdf);
  const map = toUnicodeMap(all.filter((s) => s.includes('begincmap')));
  let text = '';
  for (const content of all.filter((s) => /\bT[Jj]\b/.test(s) && !s.includes('begincmap'))) {
    for (const [, hex] of content.matchAll(/<([0-9a-fA-F]+)>/g)) {
      for (let i = 0; i + 4 <= hex.length; i += 4) text += map.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '';
    }
  }
  return text;
}
