// How wide a line of text is in DejaVu Sans, the font every figure is set in: advance widths of
// the font's glyphs (in thousandths of an em, read from DejaVuSans.ttf and DejaVuSans-Bold.ttf),
// so that labels are laid out where they will really end, and titles wrap before the page edge.

const ASCII_FROM = 32;
/** ' ' (32) to '~' (126), then the few other characters the figures use */
const EXTRA = 'λ−×±ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻·…‖₁₂′–—≈≥≤°';
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770,
  632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278,
  579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  // extra
  592, 838, 838, 838, 385, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 528, 318, 1000, 500, 401, 401, 227, 500, 1000, 838, 838, 838, 500,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830,
  683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343,
  665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
  // extra
  633, 838, 838, 838, 430, 438, 438, 438, 438, 438, 438, 438, 438, 438, 438, 528, 380, 1000, 500, 438, 438, 264, 500, 1000, 838, 838, 838, 500,
];

function advance(ch: string, table: readonly number[]): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= ASCII_FROM && code < ASCII_FROM + 95) return table[code - ASCII_FROM];
  const i = EXTRA.indexOf(ch);
  return i >= 0 ? table[95 + i] : 700; // anything else: about as wide as a capital
}

/** The width of `s` in px when set at `size` px. */
export function textWidth(s: string, size: number, weight: 'normal' | 'bold' = 'normal'): number {
  const table = weight === 'bold' ? BOLD : REGULAR;
  let em = 0;
  for (const ch of s) em += advance(ch, table);
  return (em / 1000) * size;
}

/** `s` broken at spaces into lines no wider than `width` (a word longer than that keeps its own line). */
export function wrapText(s: string, width: number, size: number, weight: 'normal' | 'bold' = 'normal'): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, weight) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
